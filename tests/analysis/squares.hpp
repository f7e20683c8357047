#pragma once
// Hand-made layers of squares for the analysis tests, whose answers are known exactly.

#include "catalog/catalog.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace kvarter::test {

// A GeoJSON Feature: the square [x0, x0 + size] × [y0, y0 + size] in EPSG:25832 metres.
std::string square_feature(double x0, double y0, double size, const std::string& properties_json);
std::string rectangle_feature(double x0, double y0, double x1, double y1, const std::string& properties_json);
std::string feature_collection(const std::vector<std::string>& features);

// Writes the squares data set below into `dir` with `analysis_json` as the config's "analysis"
// value (empty: no "analysis" key) and returns the config's path.
//
// districts (1 km squares side by side at y 6170000): 1 "Vest" x 720000–721000, 2 "Øst" 721000–722000
// renewal zones: z1 x 720000–720500 (2012–2016), z2 x 720250–720750 (2010–2013), z3 all of Øst (2005–2009)
// departments (100 m squares at y 6170100, in housing areas "nord" and "syd"):
//   d1 x 720400 (inside z1 and z2)   d2 x 720700 (half in z2)   d3 x 720950 (half Vest, half Øst)   d4 x 721500 (Øst)
// housing areas: "nord" (d1, d2), "syd" (d3, d4), "tom" (no departments)
std::filesystem::path write_squares(const std::filesystem::path& dir, const std::string& analysis_json,
                                    const std::string& department_csv, const std::string& district_csv);

std::shared_ptr<const catalog::catalog> load_squares(const std::string& name, const std::string& analysis_json,
                                                     const std::string& department_csv, const std::string& district_csv);

} // namespace kvarter::test
