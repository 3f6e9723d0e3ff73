// BGR -> CIE L*a*b*, safe to call first from several threads at once.
//
// OpenCV (4.6, imgproc/color_lab.cpp) fills its Lab/Luv tables on the first conversion behind a
// plain `static bool`, without a lock: when two threads make the process's first Lab conversion
// at the same moment, both build the tables and the loser's copy (4.7 MB: two 1.7 MB LUTs and
// seven smaller tables) is never freed. LeakSanitizer reported exactly that once in the harvest
// test (occharvest cuts out occluders on TBB threads); tests/common/test_colour_lab.cpp makes it
// happen every time without this guard. The tables' values do not depend on who wins, so output
// bytes were never at stake; the leak and the data race are what this removes.
//
// requires: bgr is 8-bit or 32-bit float with 3 channels (as cv::cvtColor COLOR_BGR2Lab).
// ensures: lab is cv::cvtColor(bgr, lab, COLOR_BGR2Lab); the first call in the process builds
//          OpenCV's tables once, while every other caller waits.
// Thread safety: safe from any number of threads (bgr and lab may be the same Mat).
#pragma once
#include <opencv2/core.hpp>

namespace faceocc {

void bgr_to_lab(const cv::Mat& bgr, cv::Mat& lab);

}  // namespace faceocc
