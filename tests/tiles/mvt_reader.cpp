#include "tiles/mvt_reader.hpp"

#include "support/test_support.hpp"

#include <fstream>
#include <stdexcept>

namespace kvarter::test {

std::map<std::string, std::vector<decoded_feature>> decode_with_gdal(const std::string& mvt, int z, unsigned x, unsigned y) {
    GDALAllRegister();
    const auto dir = temp_dir("mvt-" + std::to_string(z) + "-" + std::to_string(x) + "-" + std::to_string(y));
    const auto file = dir / "tile.mvt";
    write_file(file, mvt);
    const std::string ox = "X=" + std::to_string(x), oy = "Y=" + std::to_string(y), oz = "Z=" + std::to_string(z);
    const char* options[] = {ox.c_str(), oy.c_str(), oz.c_str(), nullptr};
    GDALDatasetUniquePtr ds{GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, options)};
    if (!ds) throw std::runtime_error{"GDAL cannot open the tile " + file.string()};
    std::map<std::string, std::vector<decoded_feature>> out;
    for (int i = 0; i < ds->GetLayerCount(); ++i) {
        OGRLayer* layer = ds->GetLayer(i);
        auto& list = out[layer->GetName()];
        for (auto& f : *layer) {
            decoded_feature d;
            for (int k = 0; k < f->GetFieldCount(); ++k)
                if (f->IsFieldSetAndNotNull(k)) d.properties[f->GetFieldDefnRef(k)->GetNameRef()] = f->GetFieldAsString(k);
            if (f->GetGeometryRef()) d.geometry.reset(f->GetGeometryRef()->clone());
            list.push_back(std::move(d));
        }
    }
    return out;
}

} // namespace kvarter::test
