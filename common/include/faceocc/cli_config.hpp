// Shared by the CLIs: command line first, then the INI file named by
// --config (Boost.Program_options keeps the first value it sees, so the
// command line wins). A missing default config is skipped; a missing config
// the user named is an error.
//
// Thread safety: for main(); no shared state.
#pragma once
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

namespace faceocc {

// `positional` (optional) names the options bare arguments fill. `given` (optional) receives
// the options the user set: on the command line or in a config file they named with --config
// (not the shipped defaults file), for options whose defaults may fall back silently and
// whose typed values must not.
inline void parse_with_config(int argc, char** argv, const boost::program_options::options_description& desc,
                              boost::program_options::variables_map& vm,
                              const boost::program_options::positional_options_description* positional = nullptr,
                              std::set<std::string>* given = nullptr) {
  namespace po = boost::program_options;
  po::command_line_parser parser(argc, argv);
  parser.options(desc);
  if (positional) parser.positional(*positional);
  const po::parsed_options typed = parser.run();
  po::store(typed, vm);
  if (given)
    for (const auto& o : typed.options) given->insert(o.string_key);
  if (vm.count("config")) {
    const std::string cfg = vm["config"].as<std::string>();
    if (std::filesystem::is_regular_file(cfg)) {
      const po::parsed_options file = po::parse_config_file<char>(cfg.c_str(), desc);
      po::store(file, vm);
      if (given && !vm["config"].defaulted())
        for (const auto& o : file.options) given->insert(o.string_key);
    } else if (!vm["config"].defaulted()) {
      throw po::error("config file " + cfg + " not found");
    }
  }
  po::notify(vm);
}

// The parsed options as "key", "value" pairs in the variables map's order: what
// a run records in its config.ini (and --resume compares).
inline std::vector<std::pair<std::string, std::string>> settings_lines(const boost::program_options::variables_map& vm) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& [k, v] : vm) {
    const auto& a = v.value();
    std::ostringstream s;
    if (auto x = boost::any_cast<std::string>(&a)) s << *x;
    else if (auto d = boost::any_cast<double>(&a)) s << *d;
    else if (auto i = boost::any_cast<int>(&a)) s << *i;
    else if (auto l = boost::any_cast<int64_t>(&a)) s << *l;
    else if (auto u = boost::any_cast<uint64_t>(&a)) s << *u;
    else if (auto b = boost::any_cast<bool>(&a)) s << (*b ? "true" : "false");
    else if (auto vs = boost::any_cast<std::vector<std::string>>(&a)) for (const auto& e : *vs) s << e << " ";
    lines.emplace_back(k, s.str());
  }
  return lines;
}

}  // namespace faceocc
