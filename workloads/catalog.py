"""The networks the exporter knows, by name: dataset, input shape, classes and builder.

Kept apart from networks.py so that a command line can check a network name (and every other
option) without the seconds it takes to import torch.
"""

import importlib
from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class NetworkSpec:
    name: str
    dataset: str                      # "cifar10" | "imagenet"
    input_chw: Tuple[int, int, int]
    num_classes: int
    builder: str                      # function or class in networks.py
    description: str

    def build(self):
        """A freshly (randomly) initialised torch module."""
        networks = importlib.import_module("networks")
        return getattr(networks, self.builder)(num_classes=self.num_classes)


NETWORKS = {spec.name: spec for spec in (
    NetworkSpec("resnet18", "cifar10", (3, 32, 32), 10, "resnet18_cifar",
                "ResNet-18, CIFAR stem (torchvision BasicBlocks)"),
    NetworkSpec("vgg16", "cifar10", (3, 32, 32), 10, "VGG16Cifar",
                "VGG-16 with BN, 3 FC layers 512-4096-4096-10"),
    NetworkSpec("wrn16_8", "cifar10", (3, 32, 32), 10, "WideResNetCifar",
                "Wide ResNet 16-8, dropout 0.3"),
    NetworkSpec("densenet121", "cifar10", (3, 32, 32), 10, "densenet121_cifar",
                "DenseNet-BC-121, growth 32, compression 0.5, CIFAR stem"),
    NetworkSpec("resnet50", "imagenet", (3, 224, 224), 1000, "resnet50_imagenet",
                "ResNet-50 (torchvision)"),
    NetworkSpec("tiny", "cifar10", (3, 32, 32), 10, "TinyNet",
                "test network: every layer kind at a few channels (not one of SWAT's)"),
)}

SWAT_NETWORKS = ("resnet18", "vgg16", "wrn16_8", "densenet121", "resnet50")
