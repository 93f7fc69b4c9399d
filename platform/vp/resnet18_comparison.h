// The main job: ResNet-18 (CIFAR-10 shapes) convolution layers at 90%/90% weight /
// activation sparsity and ~50% gradient density, forward, backward-data and
// backward-weight, in all four modes, printed as a comparison table.
#pragma once

namespace ant {

int resnet18_comparison(int argc, char** argv);

}  // namespace ant
