"""The networks of SWAT's evaluation as PyTorch modules, randomly initialised.

SWAT (Raihan & Aamodt, NeurIPS 2020) trains ResNet-18, VGG-16, WRN-16-8 and DenseNet-BC-121 on
CIFAR-10 and ResNet-50 on ImageNet. torchvision's definitions are used where they fit (ResNet-50
as is; ResNet-18 and DenseNet-121 with the CIFAR stem SWAT's models use); VGG-16 and WRN-16-8
follow SWAT's CIFAR definitions, which torchvision does not have. docs/workloads.md lists every
detail taken from SWAT's code. `tiny` is not one of SWAT's networks: a seconds-fast network
with every layer kind (dense first layer, strided, 1x1, 5x5, unpadded, shortcut, concatenation,
fully connected) for tests and smoke runs. workloads/catalog.py lists them by name.
"""

import torch
from torch import nn
import torchvision


def _kaiming_fan_out(conv: nn.Conv2d) -> nn.Conv2d:
    nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
    return conv


def _cifar_stem(in_channels: int, out_channels: int) -> nn.Conv2d:
    """3x3, stride 1 first convolution: 32x32 images keep their resolution into the first stage
    (SWAT's CIFAR ResNet and DenseNet; torchvision's 7x7/2 stem and max pool are for ImageNet)."""
    return _kaiming_fan_out(nn.Conv2d(in_channels, out_channels, 3, stride=1, padding=1, bias=False))


def resnet18_cifar(num_classes: int = 10) -> nn.Module:
    model = torchvision.models.resnet18(weights=None, num_classes=num_classes)
    model.conv1 = _cifar_stem(3, 64)
    model.maxpool = nn.Identity()
    return model


def resnet50_imagenet(num_classes: int = 1000) -> nn.Module:
    return torchvision.models.resnet50(weights=None, num_classes=num_classes)


def densenet121_cifar(num_classes: int = 10) -> nn.Module:
    """DenseNet-BC-121: growth rate 32, bottleneck width 4x growth, compression 0.5, blocks
    6-12-24-16. SWAT's stem is a bare 3x3 convolution (no BN, ReLU or pooling after it: every
    dense layer pre-activates its own input)."""
    model = torchvision.models.DenseNet(growth_rate=32, block_config=(6, 12, 24, 16),
                                        num_init_features=64, bn_size=4, drop_rate=0,
                                        num_classes=num_classes)
    model.features.conv0 = _cifar_stem(3, 64)
    model.features.norm0 = nn.Identity()
    model.features.relu0 = nn.Identity()
    model.features.pool0 = nn.Identity()
    return model


VGG16_STAGES = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512))


class VGG16Cifar(nn.Module):
    """VGG-16 with batch normalisation; after five 2x2 poolings a 32x32 image is 1x1x512, which
    feeds SWAT's three-layer classifier 512-4096-4096-classes with ReLU and dropout 0.5."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        layers = []
        channels = 3
        for stage in VGG16_STAGES:
            for width in stage:
                layers += [nn.Conv2d(channels, width, 3, padding=1), nn.BatchNorm2d(width),
                           nn.ReLU(inplace=True)]
                channels = width
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(
            nn.Linear(512, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(0.5),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class WideBasicBlock(nn.Module):
    """Pre-activation block: BN-ReLU-conv3x3-BN-ReLU-dropout-conv3x3. When the width or the
    resolution changes, a 1x1 convolution of the pre-activated input is the shortcut; otherwise
    the raw input is added."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, dropout: float):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = _kaiming_fan_out(nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False))
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU(inplace=True)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = _kaiming_fan_out(nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False))
        self.shortcut = None
        if in_channels != out_channels or stride != 1:
            self.shortcut = _kaiming_fan_out(
                nn.Conv2d(in_channels, out_channels, 1, stride, 0, bias=False))

    def forward(self, x):
        pre = self.relu1(self.bn1(x))
        out = self.conv2(self.dropout(self.relu2(self.bn2(self.conv1(pre)))))
        return out + (self.shortcut(pre) if self.shortcut is not None else x)


class WideResNetCifar(nn.Module):
    """WRN-depth-k: a 3x3 stem of 16 channels, three groups of (depth-4)/6 blocks of widths
    16k, 32k, 64k (the last two strided), BN-ReLU, 8x8 average pooling, one FC layer."""

    def __init__(self, depth: int = 16, widen: int = 8, dropout: float = 0.3,
                 num_classes: int = 10):
        super().__init__()
        if (depth - 4) % 6:
            raise ValueError(f"WRN depth {depth} is not 6n+4")
        blocks = (depth - 4) // 6
        widths = (16 * widen, 32 * widen, 64 * widen)
        self.conv1 = _kaiming_fan_out(nn.Conv2d(3, 16, 3, 1, 1, bias=False))
        groups = []
        channels = 16
        for index, width in enumerate(widths):
            stride = 1 if index == 0 else 2
            group = [WideBasicBlock(channels if b == 0 else width, width,
                                    stride if b == 0 else 1, dropout) for b in range(blocks)]
            groups.append(nn.Sequential(*group))
            channels = width
        self.block1, self.block2, self.block3 = groups
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        out = self.block3(self.block2(self.block1(self.conv1(x))))
        return self.fc(torch.flatten(self.pool(self.relu(self.bn(out))), 1))


class TinyNet(nn.Module):
    """Test network: every layer kind of the five networks at a few channels."""

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 1, 1, bias=False)
        self.bn0 = nn.BatchNorm2d(8)
        self.down = nn.Conv2d(8, 16, 3, 2, 1, bias=False)          # 32 -> 16, strided
        self.bn1 = nn.BatchNorm2d(16)
        self.point = nn.Conv2d(16, 16, 1, bias=False)              # 1x1
        self.shortcut = nn.Conv2d(8, 16, 1, 2, bias=False)         # strided 1x1 shortcut
        self.bn2 = nn.BatchNorm2d(16)
        self.wide = nn.Conv2d(32, 8, 5, 1, 2, bias=True)           # 5x5 over a concatenation
        self.valid = nn.Conv2d(8, 8, 3, 1, 0, bias=False)          # unpadded: 16 -> 14
        self.relu = nn.ReLU()
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        stem = self.relu(self.bn0(self.stem(x)))
        down = self.relu(self.bn1(self.down(stem)))
        block = self.relu(self.bn2(self.point(down) + self.shortcut(stem)))
        wide = self.relu(self.wide(torch.cat([block, down], 1)))
        valid = self.relu(self.valid(wide))
        return self.fc(valid.mean((2, 3)))
