#include "http/etag.hpp"

#include <gtest/gtest.h>

using namespace kvarter::http;

TEST(etag, strong_tags_come_from_the_bytes) {
    EXPECT_EQ(strong_etag("abc"), strong_etag("abc"));
    EXPECT_NE(strong_etag("abc"), strong_etag("abd"));
    const auto tag = strong_etag("");
    ASSERT_EQ(tag.size(), 18u);
    EXPECT_EQ(tag.front(), '"');
    EXPECT_EQ(tag.back(), '"');
}

TEST(etag, the_gzip_copy_has_its_own_tag) {
    EXPECT_EQ(gzip_etag("\"0123\""), "\"0123-gzip\"");
    EXPECT_NE(gzip_etag(strong_etag("x")), strong_etag("x"));
}

TEST(etag, if_none_match_compares_weakly_over_a_list) {
    EXPECT_TRUE(none_match_fails("\"a\"", "\"a\""));
    EXPECT_TRUE(none_match_fails("W/\"a\"", "\"a\""));
    EXPECT_TRUE(none_match_fails("\"x\", \"a\"", "\"a\""));
    EXPECT_TRUE(none_match_fails(" \"x\" ,\t\"a\" ", "\"a\""));
    EXPECT_TRUE(none_match_fails("*", "\"a\""));
    EXPECT_FALSE(none_match_fails("\"ab\"", "\"a\""));
    EXPECT_FALSE(none_match_fails("\"a-gzip\"", "\"a\""));
    EXPECT_FALSE(none_match_fails("", "\"a\""));
    EXPECT_FALSE(none_match_fails(",,", "\"a\""));
}

TEST(etag, if_match_compares_strongly) {
    EXPECT_TRUE(if_match_holds("\"a\"", "\"a\""));
    EXPECT_TRUE(if_match_holds("\"b\", \"a\"", "\"a\""));
    EXPECT_TRUE(if_match_holds("*", "\"a\""));
    EXPECT_FALSE(if_match_holds("W/\"a\"", "\"a\""));
    EXPECT_FALSE(if_match_holds("\"b\"", "\"a\""));
    EXPECT_FALSE(if_match_holds("", "\"a\""));
}
