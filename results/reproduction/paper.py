"""The ANT paper's headline results, the targets the reproduction is compared with.

Source: Lew et al., "Anticipating and Eliminating Redundant Computations in Accelerated
Sparse Training" (ISCA 2022), results chart as shown in the authors' FastPath 2022 talk
"Fast Learning on Slow Hardware", slide 51; values read off the bars, about +-0.1.
Speedup is ANT over SCNN+ for one training iteration; energy is ANT's relative to SCNN+
(so the ratio SCNN+ / ANT is its inverse).
"""
import math

SOURCE = ("Lew et al., ISCA 2022, results chart as shown in the authors' FastPath 2022 talk "
          "'Fast Learning on Slow Hardware', slide 51 (bars read to about +-0.1)")

# network -> (speedup over SCNN+, ANT energy relative to SCNN+)
VALUES = {
    "densenet121": (4.57, 0.229),
    "resnet18": (6.62, 0.138),
    "vgg16": (1.28, 0.639),
    "wrn16_8": (4.62, 0.163),
    "resnet50": (3.89, 0.182),
}
# The geomeans the paper states over all five networks.
GEOMEAN_SPEEDUP = 3.71
GEOMEAN_ENERGY_RATIO = 4.40

LABELS = {
    "densenet121": "DenseNet-121",
    "resnet18": "ResNet-18",
    "vgg16": "VGG-16",
    "wrn16_8": "WRN-16-8",
    "resnet50": "ResNet-50",
}


def speedup(network):
    return VALUES[network][0]


def energy_ratio(network):
    """SCNN+ energy / ANT energy."""
    return 1.0 / VALUES[network][1]


def geomean(values):
    values = list(values)
    if not values or any(v is None or v <= 0 for v in values):
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))
