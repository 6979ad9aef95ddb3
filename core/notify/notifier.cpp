#include "core/notify/notifier.hpp"

#include <algorithm>

#include "core/fetch/json_post.hpp"
#include "core/util/duration.hpp"
#include "core/util/process.hpp"

namespace em {
namespace {

// A program's complaint, for one log line.
std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

// What a notifier may take from the service: little output, no memory to spare.
constexpr std::size_t notify_output_cap = 64 * 1024;

}  // namespace

notifier::notifier(notify_section settings, http_transport transport)
    : settings_(std::move(settings)), transport_(std::move(transport)) {}

std::string notifier::run_command(const std::string& json) const {
  const auto& argv = settings_.command;
  const std::string what = "notify.command " + argv.front();
  try {
    auto r = run_process(argv, settings_.timeout, {}, notify_output_cap, json);
    if (r.timed_out)
      return what + " did not finish within " + format_duration(settings_.timeout) +
             " and was stopped";
    if (r.exit_code != 0)
      return what + " exited with code " + std::to_string(r.exit_code) +
             (r.err.empty() ? std::string() : ": " + first_line(r.err));
    return {};
  } catch (const std::exception& e) {
    return what + ": " + e.what();
  }
}

std::string notifier::post(const std::string& json, const std::string& proxy) const {
  http_options options;
  const auto t = settings_.timeout;
  options.limits.total_timeout = t;
  options.limits.connect_timeout = std::min(options.limits.connect_timeout, t);
  options.limits.handshake_timeout = std::min(options.limits.handshake_timeout, t);
  options.limits.max_body_size = notify_output_cap;  // the answer is not read
  options.ca_file = settings_.ca_file;
  options.proxy = proxy;
  try {
    post_json(settings_.webhook, json, options, transport_);
    return {};
  } catch (const std::exception& e) {
    return "notify.webhook " + settings_.webhook + ": " + e.what();
  }
}

std::vector<std::string> notifier::send(const notification& n, const std::string& proxy) const {
  std::vector<std::string> failures;
  std::string json;
  try {
    json = n.to_json();
  } catch (const std::exception& e) {
    return {std::string("cannot write the notification: ") + e.what()};
  }
  if (!settings_.command.empty())
    if (auto why = run_command(json); !why.empty()) failures.push_back(why);
  if (!settings_.webhook.empty())
    if (auto why = post(json, proxy); !why.empty()) failures.push_back(why);
  return failures;
}

std::string notifier::targets() const {
  std::string out = settings_.command.empty() ? std::string() : settings_.command.front();
  if (!settings_.webhook.empty()) out += (out.empty() ? "" : " and ") + settings_.webhook;
  return out;
}

}  // namespace em
