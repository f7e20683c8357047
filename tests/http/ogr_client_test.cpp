// GDAL's own OGC API – Features client (the OAPIF driver) reads what we serve.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace kvarter;
using ::testing::HasSubstr;

namespace {

std::size_t count_features(const std::string& ogrinfo_output) {
    std::size_t n = 0;
    for (std::size_t at = ogrinfo_output.find("\nOGRFeature("); at != std::string::npos;
         at = ogrinfo_output.find("\nOGRFeature(", at + 1))
        ++n;
    return n;
}

} // namespace

TEST(ogr_client, ogrinfo_lists_the_collections_and_reads_every_feature_of_one) {
    test::running_server server{test::sample_config()};
    const std::string url = "OAPIF:" + server.base();
    const auto list = test::run_command("ogrinfo -ro " + url);
    ASSERT_EQ(list.exit_code, 0) << list.output;
    for (const auto* id : {"districts", "deprived-areas", "renewal-zones", "green-teams", "housing-departments",
                           "housing-areas", "playgrounds"})
        EXPECT_THAT(list.output, HasSubstr(std::string{": "} + id + " (title:")) << list.output;

    // -al reads every feature, so GDAL follows our next links page by page.
    const auto all = test::run_command("ogrinfo -ro -al -oo PAGE_SIZE=40 " + url + " housing-departments");
    ASSERT_EQ(all.exit_code, 0) << all.output.substr(0, 2000);
    EXPECT_EQ(count_features(all.output), server.holder().get()->find("housing-departments")->features.size());
    EXPECT_THAT(all.output, HasSubstr("Mjølnerparken"));

    const auto summary = test::run_command("ogrinfo -ro -so " + url + " districts");
    EXPECT_THAT(summary.output, HasSubstr("Feature Count: 10"));
}

TEST(ogr_client, ogrinfo_reads_the_real_layers_too) {
    test::running_server server{test::copenhagen_config()};
    const auto all = test::run_command("ogrinfo -ro -al -q OAPIF:" + server.base() + " deprived-areas");
    ASSERT_EQ(all.exit_code, 0) << all.output.substr(0, 2000);
    EXPECT_EQ(count_features(all.output), 17u);
    EXPECT_THAT(all.output, HasSubstr("Tingbjerg/Husum"));
}
