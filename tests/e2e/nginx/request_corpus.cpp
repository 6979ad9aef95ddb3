#include "tests/e2e/nginx/request_corpus.hpp"

#include <cstdio>
#include <random>

namespace em::test {
namespace {

class generator {
 public:
  std::string word(const std::string& w) {
    std::string out;
    const int style = pick(6);
    for (char c : w) {
      char letter = pick(2) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      if (style == 0) {
        out += letter;  // case only
      } else if (style == 1 && pick(3) == 0) {
        out += hex(letter);
      } else if (style == 2 && pick(4) == 0) {
        out += "%25" + hex(letter).substr(1);  // encoded twice
      } else if (style == 3 && pick(6) == 0) {
        out += "%2525" + hex(letter).substr(1);  // three times
      } else {
        out += letter;
      }
    }
    return out;
  }

  // "/" as a client might write it in a path.
  std::string slash() {
    switch (pick(6)) {
      case 0:
        return "//";
      case 1:
        return "/./";
      case 2:
        return "/%2F";
      default:
        return "/";
    }
  }

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

 private:
  std::string hex(char c) {
    char buf[4];
    std::snprintf(buf, sizeof buf, pick(2) ? "%%%02X" : "%%%02x", static_cast<unsigned char>(c));
    return buf;
  }

  std::mt19937 rng_{20221002};  // the day ProxyNotShell's mitigation was published
};

void named_shapes(std::vector<corpus_request>& out) {
  for (const char* t : {
           "/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json?@evil.com/%50owershell/?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json?@evil.com/%2570owershell/?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json?@evil.com/%252570owershell/",
           "/AutoDiscover/AutoDiscover.JSON?@evil.com/POWERSHELL/",
           "/aUtOdIsCoVeR/autodiscover.json?@evil.com/pOwErShElL",
           "//autodiscover//autodiscover.json?@evil.com/PowerShell/",
           "/./autodiscover/./autodiscover.json?@evil.com/PowerShell/",
           "/autodiscover/x/../autodiscover.json?@evil.com/PowerShell/",
           "/autodiscover/autodiscover.json?@evil.com/Power%73hell?X-Rps-CAT=x",
           "/autodiscover/autodiscover.json%3F@evil.com/PowerShell/",
           "/autodiscover/autodiscover.json?Email=autodiscover/autodiscover.json%3F@evil.com&"
           "Protocol=XYZ&/powershell",
           "/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com/powershell",
           "/%61utodiscover/autodiscover.json?@evil.com/%70owershell",
           "/autodiscover/autodiscover.json?a=%40evil.com%2Fpowershell",
           "/powershell/?autodiscover",
       })
    out.push_back({"GET", t, "mail.contoso.com", {}, "ProxyNotShell shape"});
  out.push_back({"POST",
                 "/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x",
                 "mail.contoso.com",
                 {{"Content-Type", "application/soap+xml"}},
                 "ProxyNotShell shape"});
}

void ordinary(std::vector<corpus_request>& out) {
  for (const char* t : {
           "/owa/",
           "/ecp/",
           "/autodiscover/autodiscover.xml",
           "/mapi/emsmdb",
           "/EWS/Exchange.asmx",
           "/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail",
           "/owa/auth/15.2.1118/themes/resources/favicon.ico",
           "/ecp/default.aspx",
           "/Microsoft-Server-ActiveSync?Cmd=Sync&User=alice&DeviceId=ABC&DeviceType=iPhone",
           "/rpc/rpcproxy.dll?ex01.contoso.com:6001",
           "/mapi/emsmdb/?MailboxId=a@contoso.com",
           "/oab/0b1c/oab.xml",
           "/EWS/mrsproxy.svc",
           "/autodiscover/autodiscover.svc",
           "/powershell/",
           "/PowerShell/?serializationLevel=Full;ExchClientVer=15.2",
           "/owa/?ae=Item&t=IPM.Note&a=New",
           "/owa/service.svc?action=GetFolder&app=Mail",
           "/autodiscover/autodiscover.json?Email=alice%40contoso.com&Protocol=ActiveSync",
           "/owa/%C3%A9t%C3%A9/",
           "/ecp/?ExchClientVer=15",
           "/owa/auth/logoff.aspx?Cmd=logoff",
           "/autodiscover/autodiscover.json?Protocol=AutodiscoverV1&RedirectCount=1",
           "/owa/projection.aspx",
           "/",
           "/favicon.ico",
           "/owa/?path=/mail/inbox",
           "/ews/exchange.asmx/s?power=shell",
           "/owa/search?q=powershell+scripts",
           "/owa/search?q=autodiscover+settings",
       })
    out.push_back({"GET", t, "mail.contoso.com", {}, "ordinary"});
}

void generated_exploits(generator& g, std::vector<corpus_request>& out) {
  for (int i = 0; i < 110; ++i) {
    std::string t;
    switch (g.pick(4)) {
      case 0:
        t = g.slash() + g.word("autodiscover") + g.slash() + g.word("autodiscover") +
            ".json?@evil.com/" + g.word("powershell") + "/?X-Rps-CAT=" + std::to_string(i);
        break;
      case 1:
        t = g.slash() + g.word("autodiscover") + "/" + g.word("autodiscover") +
            ".json?Email=" + g.word("autodiscover") + "/autodiscover.json%3F@evil.com&/" +
            g.word("powershell");
        break;
      case 2:
        t = "/mapi/nspi/?&Email=" + g.word("autodiscover") + "/autodiscover.json%3F@x/" +
            g.word("PowerShell") + "&i=" + std::to_string(i);
        break;
      default:
        t = g.slash() + g.word("PowerShell") + g.slash() + "?x=" + g.word("autodiscover");
        break;
    }
    out.push_back({"GET", t, "mail.contoso.com", {}, "generated ProxyNotShell variant"});
  }
}

void near_misses(generator& g, std::vector<corpus_request>& out) {
  for (const char* w :
       {"powershel", "power%20shell", "power-shell", "p0wershell", "powersh", "shellpower"})
    for (int i = 0; i < 3; ++i)
      out.push_back({"GET",
                     "/" + g.word("autodiscover") + "/autodiscover.json?@evil.com/" + w + "/" +
                         std::to_string(i),
                     "mail.contoso.com",
                     {},
                     "near miss"});
  for (const char* w : {"autodiscove", "auto%20discover", "autodisc0ver"})
    for (int i = 0; i < 3; ++i)
      out.push_back({"GET",
                     "/" + std::string(w) + "/x.json?@evil.com/" + g.word("powershell"),
                     "mail.contoso.com",
                     {},
                     "near miss"});
  // Nine layers of encoding: UrlDecode stops after eight, so no "p" appears.
  std::string layered = "%";
  for (int i = 0; i < 8; ++i)
    layered += "25";
  out.push_back({"GET",
                 "/autodiscover/autodiscover.json?@evil.com/" + layered + "70owershell",
                 "mail.contoso.com",
                 {},
                 "near miss"});
  // The words only in a header: M1 reads the URI alone.
  out.push_back({"GET",
                 "/owa/",
                 "mail.contoso.com",
                 {{"Referer", "https://evil.com/autodiscover/powershell"}},
                 "near miss"});
}

void other_rules(std::vector<corpus_request>& out) {
  const std::string cookies[] = {
      "X-BEResource=localhost]@ex01.contoso.com:444/ecp/proxyLogon.ecp?~1942062522",
      "X-BEResource=a/b~c",
      "X-BEResource=a]b~c",
      "X-BEResourcex=1",
      "session=abc",
      "a=1; X-BEResource=ex02.contoso.com/EWS/Exchange.asmx?~1",
      "x-beresource=a/b~c",
  };
  for (const auto& c : cookies)
    for (const char* t : {"/owa/", "/ecp/x.js", "/ews/exchange.asmx"})
      out.push_back({"GET", t, "mail.contoso.com", {{"Cookie", c}}, "cookie rule"});
  for (const char* method : {"GET", "POST"})
    for (const char* t : {"/ecp/DDI/DDIService.svc/GetList", "/ecp/default.aspx",
                          "/ECP/default.aspx", "/ecp/Default.ASPX", "/owa/default.aspx", "/ecp",
                          "/ecpx/default.aspx", "/ecp/a/b.aspx?x=1"})
      for (const char* xff : {"", "10.1.2.3", "192.0.2.7"}) {
        corpus_request r{method, t, "mail.contoso.com", {}, "ECP rule"};
        if (*xff) r.headers.push_back({"X-Forwarded-For", xff});
        out.push_back(r);
      }
  for (const char* t : {"/owa/healthcheck.htm", "/OWA/HealthCheck.htm",
                        "/owa/healthcheck.htm?autodiscover/powershell",
                        "/owa/healthcheck.htm.bak?autodiscover/powershell"})
    out.push_back({"GET", t, "mail.contoso.com", {}, "health probe rule"});
  for (const char* t : {"/exchange", "/Exchange/", "/exchange?legacy=1", "/exchange/?a=1&legacy=1",
                        "/exchange/?legacy=10", "/exchange/x?legacy=1", "/exchanges"})
    for (const char* host : {"mail.contoso.com", "webmail.contoso.com"})
      out.push_back({"GET", t, host, {}, "redirect rule"});
}

void refused_by_nginx(std::vector<corpus_request>& out) {
  for (const char* t : {"/owa/%zz", "/..", "/owa/../../x", "/a%00b", "/owa/%4"})
    out.push_back({"GET", t, "mail.contoso.com", {}, "nginx 400"});
}

}  // namespace

std::vector<corpus_request> request_corpus() {
  std::vector<corpus_request> out;
  generator g;
  named_shapes(out);
  ordinary(out);
  generated_exploits(g, out);
  near_misses(g, out);
  other_rules(out);
  refused_by_nginx(out);
  return out;
}

}  // namespace em::test
