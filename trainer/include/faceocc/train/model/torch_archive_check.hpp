// A look at a PyTorch archive (checkpoint, optimizer state, TorchScript module) before
// LibTorch reads it. LibTorch 1.13 allocates what a zip record or a pickle opcode declares
// before it checks that the file holds it, so a file of a few KB can make it allocate
// gigabytes (tests/fuzz/corpus/run_folder/unpickler_string_length_bomb). PyTorch stores its
// pickles and tensors and deflates its code, so every size can be checked against the file.
// Not walked: the deflated *.debug_pkl of a TorchScript module (that needs inflating it).
//
// requires: nothing (any path).
// ensures:  returns when the file is a zip whose central directory and every record lie
//           inside the file, its .pkl records are stored and every length operand in them
//           fits in the bytes left of that record, and no deflated record claims more than
//           deflate can expand to; otherwise throws
//           std::runtime_error naming the file and the problem. Reads the whole file.
// Thread safety: reads the file only; safe to call from several threads.
#pragma once
#include <filesystem>

namespace faceocc {

void check_torch_archive(const std::filesystem::path& file);

}  // namespace faceocc
