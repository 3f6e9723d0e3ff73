// Shared by the CLIs: command line first, then the INI file named by
// --config (Boost.Program_options keeps the first value it sees, so the
// command line wins). A missing default config is skipped; a missing config
// the user named is an error.
#pragma once
#include <filesystem>
#include <string>

#include <boost/program_options.hpp>

namespace faceocc {

inline void parse_with_config(int argc, char** argv, const boost::program_options::options_description& desc,
                              boost::program_options::variables_map& vm) {
  namespace po = boost::program_options;
  po::store(po::parse_command_line(argc, argv, desc), vm);
  if (vm.count("config")) {
    const std::string cfg = vm["config"].as<std::string>();
    if (std::filesystem::is_regular_file(cfg)) po::store(po::parse_config_file<char>(cfg.c_str(), desc), vm);
    else if (!vm["config"].defaulted()) throw po::error("config file " + cfg + " not found");
  }
  po::notify(vm);
}

}  // namespace faceocc
