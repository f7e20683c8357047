// The viewer's files as served: content types, gzip made once and kept while the file stays,
// a changed file served at once, ETag/304, and no way out of the folder.

#include "core/error.hpp"
#include "http/gzip.hpp"
#include "support/test_support.hpp"
#include "web/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace kvarter;

namespace {

http::request get(const std::string& path, std::map<std::string, std::string> headers = {}) {
    http::request r;
    r.path = path;
    r.target = path;
    r.headers = std::move(headers);
    return r;
}

} // namespace

TEST(static_files, serves_gzip_made_once_and_a_changed_file_at_once) {
    const auto dir = test::temp_dir("static-files");
    test::write_file(dir / "index.html", "<!doctype html><title>kvarter</title>");
    const std::string script(5000, 'x');
    test::write_file(dir / "main.js", script);

    const auto page = web::serve_file(dir, "index.html", get("/map/"));
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(page.body, "<!doctype html><title>kvarter</title>");

    const auto zipped = web::serve_file(dir, "main.js", get("/map/main.js", {{"accept-encoding", "gzip, br"}}));
    EXPECT_EQ(zipped.content_type, "text/javascript; charset=utf-8");
    ASSERT_TRUE(zipped.find_header("Content-Encoding"));
    EXPECT_EQ(*zipped.find_header("Content-Encoding"), "gzip");
    EXPECT_EQ(http::gunzip(zipped.body), script);
    const auto plain = web::serve_file(dir, "main.js", get("/map/main.js"));
    EXPECT_EQ(plain.body, script);
    EXPECT_FALSE(plain.find_header("Content-Encoding"));

    const std::string etag = *plain.find_header("ETag");
    EXPECT_EQ(web::serve_file(dir, "main.js", get("/map/main.js", {{"if-none-match", etag}})).status, 304u);
    // The gzipped bytes are another representation with their own strong tag (RFC 9110 8.8.1).
    const std::string zipped_etag = *zipped.find_header("ETag");
    EXPECT_NE(zipped_etag, etag);
    const auto not_modified = web::serve_file(
        dir, "main.js", get("/map/main.js", {{"accept-encoding", "gzip"}, {"if-none-match", zipped_etag}}));
    EXPECT_EQ(not_modified.status, 304u);
    EXPECT_FALSE(not_modified.find_header("Content-Encoding"));
    EXPECT_EQ(web::serve_file(dir, "main.js", get("/map/main.js", {{"accept-encoding", "gzip"}, {"if-none-match", etag}})).status,
              200u);

    // A rebuild writes the file anew: its size changes, and the next answer has the new bytes.
    test::write_file(dir / "main.js", script + "y");
    const auto rebuilt = web::serve_file(dir, "main.js", get("/map/main.js"));
    EXPECT_EQ(rebuilt.body, script + "y");
    EXPECT_NE(*rebuilt.find_header("ETag"), etag);
}

TEST(static_files, nothing_outside_the_folder) {
    const auto dir = test::temp_dir("static-files-root");
    test::write_file(dir / "index.html", "page");
    std::filesystem::create_directories(dir / "sub");
    test::write_file(dir.parent_path() / "secret.txt", "secret");
    for (const char* path : {"../secret.txt", "sub/../../secret.txt", "./index.html", "sub//x", "", "sub"})
        EXPECT_THROW(web::serve_file(dir, path, get(std::string{"/map/"} + path)), not_found) << path;
    // A name longer than the file system allows (ENAMETOOLONG) is a 404, not a 500 (found by the
    // request_target fuzzer).
    for (const std::string path : {std::string(300, 'x'), std::string(300, 'x') + "/m", "sub/" + std::string(5000, 'y')})
        EXPECT_THROW(web::serve_file(dir, path, get("/map/" + path)), not_found) << path.size();
    const auto missing = test::temp_dir("static-files-unbuilt");
    try {
        web::serve_file(missing, "index.html", get("/map/"));
        FAIL() << "an unbuilt viewer must be a 404";
    } catch (const not_found& e) {
        EXPECT_NE(std::string{e.what()}.find("not built"), std::string::npos) << e.what();
    }
}

TEST(static_files, a_symbolic_link_in_the_folder_is_not_followed) {
    const auto dir = test::temp_dir("static-links");
    const auto outside = test::temp_dir("static-links-outside");
    test::write_file(dir / "index.html", "<!doctype html>");
    test::write_file(outside / "proposals.gpkg", "secret");
    std::filesystem::create_symlink(outside / "proposals.gpkg", dir / "store.gpkg");
    std::filesystem::create_directory_symlink(outside, dir / "config");
    for (const std::string path : {"store.gpkg", "config/proposals.gpkg"}) {
        try {
            web::serve_file(dir, path, get("/map/" + path));
            ADD_FAILURE() << path << " was served";
        } catch (const not_found&) {
        }
    }
    EXPECT_EQ(web::serve_file(dir, "index.html", get("/map/")).body, "<!doctype html>");
}
