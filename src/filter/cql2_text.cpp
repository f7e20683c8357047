// cql2-text: a recursive-descent parser over the CQL2 BNF (OGC 21-065r2, Annex B), the part of
// it kvarter evaluates. Comparisons and boolean operators share one precedence ladder
// (OR < AND < NOT < comparison < + - < * /), so "(a > 1 AND b)" and "(foo + 10)" both parse
// as a parenthesised expression and checking decides later whether a boolean was wanted.

#include "filter/cql2_parse.hpp"

#include "core/error.hpp"
#include "geometry/relate.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

namespace kvarter::filter {

namespace {

bool word_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool word_part(char c) { return word_start(c) || (c >= '0' && c <= '9') || c == ':' || c == '.'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

std::string upper(std::string_view s) {
    std::string out{s};
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

const std::array<std::pair<const char*, op>, 8> spatial_functions{{{"S_INTERSECTS", op::s_intersects},
                                                                   {"S_WITHIN", op::s_within},
                                                                   {"S_CONTAINS", op::s_contains},
                                                                   {"S_DISJOINT", op::s_disjoint},
                                                                   {"S_EQUALS", op::s_equals},
                                                                   {"S_TOUCHES", op::s_touches},
                                                                   {"S_OVERLAPS", op::s_overlaps},
                                                                   {"S_CROSSES", op::s_crosses}}};

const std::array<const char*, 7> wkt_types{"POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING",
                                           "MULTIPOLYGON", "GEOMETRYCOLLECTION"};

const std::array<const char*, 10> reserved{"AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE"};

template <class List>
bool listed(const List& list, const std::string& word) {
    for (const auto& w : list)
        if (word == w) return true;
    return false;
}

enum class tok { end, word, quoted, string, number, punct, bad };

struct token {
    tok kind = tok::end;
    std::size_t pos = 0;
    std::size_t end = 0;
    std::string text; // a word as written, a punctuation mark, a string's or quoted name's decoded value
    double number = 0;
};

class text_parser {
public:
    explicit text_parser(std::string_view s) : m_s{s} {}

    node parse() {
        node n = or_expr();
        const token t = peek();
        if (t.kind != tok::end) fail(t, "AND, OR or the end of the filter");
        return n;
    }

private:
    std::string_view m_s;
    std::size_t m_pos = 0;
    int m_depth = 0;

    [[noreturn]] void fail(std::size_t at, const std::string& expected) const {
        std::string found = at >= m_s.size() ? "the end of the filter" : "\"" + std::string{m_s.substr(at, 20)} + "\"";
        if (at < m_s.size() && m_s.size() - at > 20) found.insert(found.size() - 1, "…");
        throw bad_request{"filter", "filter: at character " + std::to_string(at) + ": expected " + expected + ", found " + found};
    }
    [[noreturn]] void fail(const token& t, const std::string& expected) const { fail(t.pos, expected); }

    // ---- lexing: one token at the current position, read again on demand ----

    token peek() const {
        std::size_t p = m_pos;
        while (p < m_s.size() && (m_s[p] == ' ' || m_s[p] == '\t' || m_s[p] == '\n' || m_s[p] == '\r')) ++p;
        token t;
        t.pos = p;
        if (p >= m_s.size()) {
            t.end = p;
            return t;
        }
        const char c = m_s[p];
        if (word_start(c)) {
            std::size_t e = p;
            while (e < m_s.size() && word_part(m_s[e])) ++e;
            t.kind = tok::word;
            t.text = m_s.substr(p, e - p);
            t.end = e;
        } else if (c == '\'' || c == '"') {
            lex_quoted(t, c);
        } else if (digit(c) || (c == '.' && p + 1 < m_s.size() && digit(m_s[p + 1]))) {
            lex_number(t);
        } else {
            static constexpr std::array<const char*, 13> marks{"<>", "<=", ">=", "=", "<", ">", "(", ")", ",", "+", "-", "*", "/"};
            for (const char* m : marks)
                if (m_s.substr(p, std::char_traits<char>::length(m)) == m) {
                    t.kind = tok::punct;
                    t.text = m;
                    t.end = p + t.text.size();
                    return t;
                }
            t.kind = tok::bad;
            t.end = p + 1;
        }
        return t;
    }

    // 'text' with '' for a quote inside; "name" likewise with "".
    void lex_quoted(token& t, char quote) const {
        std::size_t p = t.pos + 1;
        while (true) {
            if (p >= m_s.size()) fail(t.pos, quote == '\'' ? "a closing ' for the string" : "a closing \" for the property name");
            if (m_s[p] == quote) {
                if (p + 1 < m_s.size() && m_s[p + 1] == quote) {
                    t.text.push_back(quote);
                    p += 2;
                    continue;
                }
                break;
            }
            t.text.push_back(m_s[p++]);
        }
        t.kind = quote == '\'' ? tok::string : tok::quoted;
        t.end = p + 1;
    }

    void lex_number(token& t) const {
        std::size_t e = t.pos;
        while (e < m_s.size() && digit(m_s[e])) ++e;
        if (e < m_s.size() && m_s[e] == '.') {
            ++e;
            while (e < m_s.size() && digit(m_s[e])) ++e;
        }
        if (e < m_s.size() && (m_s[e] == 'e' || m_s[e] == 'E')) {
            std::size_t x = e + 1;
            if (x < m_s.size() && (m_s[x] == '+' || m_s[x] == '-')) ++x;
            if (x < m_s.size() && digit(m_s[x])) {
                e = x;
                while (e < m_s.size() && digit(m_s[e])) ++e;
            }
        }
        std::string text{m_s.substr(t.pos, e - t.pos)};
        if (text.back() == '.') text.pop_back(); // "5." is a number in the BNF; from_chars stops at the dot
        double v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) fail(t.pos, "a finite number");
        t.kind = tok::number;
        t.number = v;
        t.end = e;
    }

    void take(const token& t) { m_pos = t.end; }
    bool is_word(const token& t, const char* w) const { return t.kind == tok::word && upper(t.text) == w; }
    bool is_punct(const token& t, const char* p) const { return t.kind == tok::punct && t.text == p; }
    bool accept_word(const char* w) {
        const token t = peek();
        if (!is_word(t, w)) return false;
        take(t);
        return true;
    }
    bool accept_punct(const char* p) {
        const token t = peek();
        if (!is_punct(t, p)) return false;
        take(t);
        return true;
    }
    void expect_punct(const char* p, const std::string& what) {
        if (!accept_punct(p)) fail(peek(), what);
    }

    struct depth_guard {
        text_parser& p;
        explicit depth_guard(text_parser& parser, std::size_t at) : p{parser} {
            if (++p.m_depth > max_depth) p.fail(at, "at most " + std::to_string(max_depth) + " levels of nesting");
        }
        ~depth_guard() { --p.m_depth; }
    };

    static node make(op o, std::size_t at, std::vector<node> args = {}) {
        node n;
        n.op = o;
        n.position = at;
        n.args = std::move(args);
        return n;
    }

    // ---- the precedence ladder ----

    node chain(op o, node (text_parser::*next)(), const char* keyword) {
        const std::size_t at = peek().pos;
        node first = (this->*next)();
        if (!is_word(peek(), keyword)) return first;
        node n = make(o, at);
        n.args.push_back(std::move(first));
        while (accept_word(keyword)) n.args.push_back((this->*next)());
        return n;
    }
    node or_expr() { return chain(op::or_, &text_parser::and_expr, "OR"); }
    node and_expr() { return chain(op::and_, &text_parser::not_expr, "AND"); }

    node not_expr() {
        const token t = peek();
        if (!is_word(t, "NOT")) return comparison();
        depth_guard guard{*this, t.pos};
        take(t);
        return make(op::not_, t.pos, {not_expr()});
    }

    node comparison() {
        const std::size_t at = peek().pos;
        node left = additive();
        token t = peek();
        static constexpr std::array<std::pair<const char*, op>, 6> ops{
            {{"=", op::eq}, {"<>", op::ne}, {"<", op::lt}, {"<=", op::le}, {">", op::gt}, {">=", op::ge}}};
        for (const auto& [mark, o] : ops)
            if (is_punct(t, mark)) {
                take(t);
                return make(o, at, {std::move(left), additive()});
            }
        if (is_word(t, "IS")) {
            take(t);
            const bool negated = accept_word("NOT");
            if (!accept_word("NULL")) fail(peek(), negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
            node n = make(op::is_null, at, {std::move(left)});
            return negated ? make(op::not_, at, {std::move(n)}) : n;
        }
        bool negated = false;
        if (is_word(t, "NOT")) {
            take(t);
            negated = true;
            t = peek();
            if (!is_word(t, "LIKE") && !is_word(t, "BETWEEN") && !is_word(t, "IN")) fail(t, "LIKE, BETWEEN or IN after NOT");
        }
        node n;
        if (accept_word("LIKE")) {
            n = make(op::like, at, {std::move(left), additive()});
        } else if (accept_word("BETWEEN")) {
            node low = additive();
            if (!accept_word("AND")) fail(peek(), "AND between the bounds of BETWEEN");
            n = make(op::between, at, {std::move(left), std::move(low), additive()});
        } else if (accept_word("IN")) {
            const std::size_t list_at = peek().pos;
            expect_punct("(", "( to open the list after IN");
            node list = make(op::list, list_at);
            do list.args.push_back(additive());
            while (accept_punct(","));
            expect_punct(")", ", or ) in the list after IN");
            n = make(op::in, at, {std::move(left), std::move(list)});
        } else {
            return left;
        }
        return negated ? make(op::not_, at, {std::move(n)}) : n;
    }

    node additive() {
        const std::size_t at = peek().pos;
        node left = multiplicative();
        while (true) {
            const token t = peek();
            const op o = is_punct(t, "+") ? op::add : is_punct(t, "-") ? op::sub : op::list;
            if (o == op::list) return left;
            take(t);
            left = make(o, at, {std::move(left), multiplicative()});
        }
    }

    node multiplicative() {
        const std::size_t at = peek().pos;
        node left = unary();
        while (true) {
            const token t = peek();
            if (t.kind == tok::bad && (m_s[t.pos] == '%' || m_s[t.pos] == '^'))
                fail(t, "+, -, * or /: kvarter's arithmetic has no % or ^");
            if (is_word(t, "DIV")) fail(t, "+, -, * or /: kvarter's arithmetic has no integer division (div)");
            const op o = is_punct(t, "*") ? op::mul : is_punct(t, "/") ? op::div : op::list;
            if (o == op::list) return left;
            take(t);
            left = make(o, at, {std::move(left), unary()});
        }
    }

    node unary() {
        const token t = peek();
        if (!is_punct(t, "-")) return primary();
        depth_guard guard{*this, t.pos};
        take(t);
        const token next = peek();
        if (next.kind == tok::number) { // a negative literal, as cql2-json writes it
            take(next);
            node n = make(op::number, t.pos);
            n.number = -next.number;
            return n;
        }
        node zero = make(op::number, t.pos);
        return make(op::sub, t.pos, {std::move(zero), unary()});
    }

    node primary() {
        const token t = peek();
        switch (t.kind) {
        case tok::end: fail(t, "a property, a literal or (");
        case tok::bad: fail(t, "a property, a literal, an operator or (");
        case tok::string: {
            take(t);
            node n = make(op::string, t.pos);
            n.text = t.text;
            return n;
        }
        case tok::number: {
            take(t);
            node n = make(op::number, t.pos);
            n.number = t.number;
            return n;
        }
        case tok::quoted: {
            take(t);
            node n = make(op::property, t.pos);
            n.text = t.text;
            return n;
        }
        case tok::punct:
            if (t.text != "(") fail(t, "a property, a literal or (");
            {
                depth_guard guard{*this, t.pos};
                take(t);
                node n = or_expr();
                expect_punct(")", ") to close the ( at character " + std::to_string(t.pos));
                return n;
            }
        case tok::word: break;
        }
        return word(t);
    }

    node word(const token& t) {
        const std::string w = upper(t.text);
        if (w == "TRUE" || w == "FALSE") {
            take(t);
            node n = make(op::boolean, t.pos);
            n.boolean = w == "TRUE";
            return n;
        }
        if (listed(wkt_types, w)) return wkt(t);
        if (w == "BBOX") return bbox(t);
        if (listed(reserved, w)) fail(t, "a property, a literal or ( (" + w + " is a keyword; quote a property of that name)");
        m_pos = t.end;
        if (!is_punct(peek(), "(")) {
            node n = make(op::property, t.pos);
            n.text = t.text;
            return n;
        }
        for (const auto& [name, o] : spatial_functions)
            if (w == name) return spatial(t, o);
        fail(t, "a property or a literal: the function " + t.text +
                    " is not supported (kvarter's filters call S_INTERSECTS, S_WITHIN, S_CONTAINS, S_DISJOINT, S_EQUALS, "
                    "S_TOUCHES, S_OVERLAPS and S_CROSSES)");
    }

    node spatial(const token& name, op o) {
        depth_guard guard{*this, name.pos};
        expect_punct("(", "(");
        node a = additive();
        expect_punct(",", ", between the two geometries of " + upper(name.text));
        node b = additive();
        expect_punct(")", ") after the two geometries of " + upper(name.text));
        return make(o, name.pos, {std::move(a), std::move(b)});
    }

    // The WKT runs from its keyword to the parenthesis that closes its first one; GEOS reads it.
    node wkt(const token& t) {
        std::size_t p = t.end, depth = 0;
        bool opened = false;
        while (p < m_s.size()) {
            const char c = m_s[p++];
            if (c == '(') {
                ++depth;
                opened = true;
            }
            else if (c == ')') {
                if (depth == 0) fail(p - 1, "a WKT geometry");
                if (--depth == 0) break;
            } else if (depth == 0 && !(word_part(c) || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                fail(p - 1, "( to open the coordinates of " + upper(t.text));
            }
        }
        if (depth != 0 || !opened) fail(p, "the closing ) of the " + upper(t.text) + " that starts at character " + std::to_string(t.pos));
        node n = make(op::geometry, t.pos);
        try {
            n.shape = geometry::read_wkt(std::string{m_s.substr(t.pos, p - t.pos)});
        } catch (const error& e) {
            fail(t.pos, "a WKT geometry kvarter reads (" + std::string{e.what()} + ")");
        }
        m_pos = p;
        return n;
    }

    node bbox(const token& t) {
        take(t);
        expect_punct("(", "( after BBOX");
        std::vector<double> n;
        do {
            const std::size_t at = peek().pos;
            node v = unary();
            if (v.op != op::number) fail(at, "a number in BBOX");
            n.push_back(v.number);
        } while (accept_punct(","));
        expect_punct(")", ", or ) in BBOX");
        if (n.size() != 4 && n.size() != 6) fail(t, "BBOX with 4 numbers (or 6 with heights), got " + std::to_string(n.size()));
        return bbox_node(n, t.pos);
    }
};

} // namespace

node bbox_node(const std::vector<double>& n, std::size_t at) {
    // 6 numbers are minx, miny, minz, maxx, maxy, maxz; heights are dropped.
    const double x0 = n[0], y0 = n[1], x1 = n.size() == 6 ? n[3] : n[2], y1 = n.size() == 6 ? n[4] : n[3];
    node b;
    b.op = op::geometry;
    b.position = at;
    b.bbox = true;
    b.shape.type = geometry::kind::polygon;
    b.shape.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
    return b;
}

node parse_text(std::string_view text) { return text_parser{text}.parse(); }

} // namespace kvarter::filter
