// The CQL2 standard's own examples (tests/filter/cql2-examples/README.md): each in kvarter's scope
// parses in cql2-text and cql2-json to the same tree; each outside it is refused with a 400 that
// names what is not supported.

#include "core/error.hpp"
#include "filter/cql2.hpp"
#include "support/refusal.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

using namespace kvarter;

namespace {

struct example {
    std::string name, text, json, refusal_word;
};

std::vector<example> read_examples(const std::string& file) {
    std::ifstream in{test::source_dir() / "tests/filter/cql2-examples" / file};
    std::vector<example> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> columns;
        std::stringstream row{line};
        std::string column;
        while (std::getline(row, column, '\t')) columns.push_back(column);
        columns.resize(4);
        out.push_back({columns[0], columns[1], columns[2], columns[3]});
    }
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The message of the refusal, or "(accepted)".
std::string refusal(const std::string& text, filter::language lang) {
    return test::refusal_of([&] { filter::parse(text, lang); }, "filter");
}

} // namespace

TEST(cql2_examples, every_example_in_scope_parses_to_one_tree_from_text_and_json) {
    const auto examples = read_examples("in-scope.tsv");
    ASSERT_GE(examples.size(), 60u);
    for (const auto& e : examples) {
        SCOPED_TRACE(e.name);
        std::string from_text, from_json;
        try {
            from_text = filter::to_string(filter::parse(e.text, filter::language::text));
            from_json = filter::to_string(filter::parse(e.json, filter::language::json));
        } catch (const bad_request& error) {
            ADD_FAILURE() << error.what();
            continue;
        }
        EXPECT_EQ(from_text, from_json);
    }
}

TEST(cql2_examples, every_example_outside_scope_is_refused_naming_what_is_not_supported) {
    const auto examples = read_examples("out-of-scope.tsv");
    ASSERT_GE(examples.size(), 40u);
    for (const auto& e : examples) {
        SCOPED_TRACE(e.name);
        ASSERT_FALSE(e.refusal_word.empty());
        for (const auto lang : {filter::language::text, filter::language::json}) {
            const std::string message = refusal(lang == filter::language::text ? e.text : e.json, lang);
            EXPECT_NE(lower(message).find(lower(e.refusal_word)), std::string::npos) << message;
        }
    }
}

TEST(cql2_examples, trees_keep_the_structure_the_standard_gives) {
    // A few spelled out, so that "the same tree" above cannot mean "the same wrong tree".
    auto text = [](const char* f) { return filter::to_string(filter::parse(f, filter::language::text)); };
    EXPECT_EQ(text("eo:cloud_cover < 0.1 AND landsat:wrs_row=28 AND landsat:wrs_path=203"),
              "and(<({eo:cloud_cover} 0.10000000000000001) =({landsat:wrs_row} 28) =({landsat:wrs_path} 203))");
    EXPECT_EQ(text("NOT (floors<5) OR swimming_pool=true"), "or(not(<({floors} 5)) =({swimming_pool} true))");
    EXPECT_EQ(text("category NOT IN (1,2,3,4)"), "not(in({category} list(1 2 3 4)))");
    EXPECT_EQ(text("balance-150.0 > 0"), ">(-({balance} 150) 0)");
    EXPECT_EQ(text("a + 2 * b - 1 > 0"), ">(-(+({a} *(2 {b})) 1) 0)");
    EXPECT_EQ(text("geometry IS NOT NULL"), "not(isNull({geometry}))");
    EXPECT_EQ(text("S_INTERSECTS(geometry, BBOX(12, 55, 13, 56))"),
              "s_intersects({geometry} bbox(((12 55,13 55,13 56,12 56,12 55,))))");
    EXPECT_EQ(text("\"and\" = 'it''s'"), "=({and} 'it's')");
}
