#include <catch2/catch.hpp>

#include "core/fetch/file_source.hpp"
#include "core/util/error.hpp"
#include "tests/support/temp_dir.hpp"

TEST_CASE("file URLs map to absolute paths") {
  CHECK(em::path_from_file_url("file:///srv/feed/doc.xml") == "/srv/feed/doc.xml");
  CHECK(em::path_from_file_url("FILE:///srv/doc.xml") == "/srv/doc.xml");
  CHECK(em::path_from_file_url("file://localhost/srv/doc.xml") == "/srv/doc.xml");
  CHECK(em::path_from_file_url("file:///srv/my%20feed/doc.xml") == "/srv/my feed/doc.xml");
}

TEST_CASE("what is not a local file URL is refused") {
  for (const char* bad : {"https://example.org/doc.xml", "file://", "file://server/share/doc.xml",
                          "file:relative.xml", "/srv/doc.xml", "file:///a%2", "file:///a%zz",
                          "file:///a%00b", "file:///doc.xml?x=1"})
    CHECK_FALSE(em::path_from_file_url(bad));
}

TEST_CASE("fetching a file URL reads the document within the size limit") {
  em::test::temp_dir dir;
  em::test::write_text(dir / "doc.xml", "<EOCS/>");
  auto url = "file://" + (dir / "doc.xml").string();
  CHECK(em::fetch_file_url(url, 100) == "<EOCS/>");
  CHECK_THROWS_WITH(em::fetch_file_url(url, 3), Catch::Contains("over the limit of 3"));
  CHECK_THROWS_WITH(em::fetch_file_url("file://" + (dir / "none.xml").string(), 100),
                    Catch::EndsWith("none.xml does not exist"));
  CHECK_THROWS_WITH(em::fetch_file_url("file://" + dir.path().string(), 100),
                    Catch::EndsWith("is not a regular file"));
  CHECK_THROWS_WITH(em::fetch_file_url("ftp://x/y", 100), "not a local file URL: ftp://x/y");
}
