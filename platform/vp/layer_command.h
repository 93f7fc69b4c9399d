// `ant-vp layer`: runs one job from .npy operands and writes the output tensor and the
// statistics. Returns the process exit status.
#pragma once

namespace ant {

int layer_command(int argc, char** argv);

}  // namespace ant
