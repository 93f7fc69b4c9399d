"""The train_step network description (docs/train_step.md) on the host side: building the
`net` table, the small test CNN, and the shapes of every tensor."""
import numpy as np

COLUMNS = 12
CONV, ADD, AVGPOOL, FC, BATCHNORM = 1, 2, 3, 4, 5
MODES = {"dense": 0, "scnn": 1, "ant": 2, "ideal": 3}


def layer(type_, src, src2=0, out_channels=0, kernel=0, stride=0, pad=0, relu=0, act_topk=0, weight_topk=0):
    return dict(type=type_, src=src, src2=src2, out_channels=out_channels, kernel=kernel, stride=stride, pad=pad,
                relu=relu, act_topk=act_topk, weight_topk=weight_topk)


def topk_mask(x, k):
    """The accelerator's SWAT top-K: the k largest magnitudes, ties to the earlier element."""
    flat = x.reshape(-1)
    order = np.lexsort((np.arange(flat.size), -np.abs(flat)))  # magnitude desc, then position
    order = order[flat[order] != 0][:k]
    mask = np.zeros(flat.size, dtype=bool)
    mask[order] = True
    return mask.reshape(x.shape)


def shapes(x_shape, layers):
    """Tensor shapes (tensor 0 = input) and each layer's weight shape (or None)."""
    out = [tuple(x_shape)]
    weights = []
    for l in layers:
        n, c, h, w = out[l["src"]]
        if l["type"] == CONV:
            k, p, s = l["kernel"], l["pad"], l["stride"]
            out.append((n, l["out_channels"], (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1))
            weights.append((l["out_channels"], c, k, k))
        elif l["type"] == FC:
            out.append((n, l["out_channels"], 1, 1))
            weights.append((l["out_channels"], c * h * w))
        elif l["type"] == BATCHNORM:
            out.append((n, c, h, w))
            weights.append((2, c))  # gamma, beta
        elif l["type"] == AVGPOOL:
            out.append((n, c, h // l["kernel"], w // l["kernel"]))
            weights.append(None)
        else:
            out.append((n, c, h, w))
            weights.append(None)
    return out, weights


def net_table(layers, mode, learning_rate, offsets):
    rows = np.zeros((1 + len(layers), COLUMNS), dtype=np.float32)
    rows[0, :4] = [1, len(layers), MODES[mode], learning_rate]
    fields = ["type", "src", "src2", "out_channels", "kernel", "stride", "pad", "relu", "act_topk", "weight_topk"]
    for j, l in enumerate(layers, start=1):
        rows[j, :10] = [l[f] for f in fields]
        rows[j, 10] = offsets[j - 1]
    return rows


def small_cnn():
    """Three-channel 12x12 inputs, ten classes: strided and padded convs, ReLU and SWAT top-K
    both in the post-processing unit (layers 1, 7: their CSR outputs chain into the next job)
    and on the core after batch normalisation (layer 3), a residual add, average pooling and
    an fc layer (SPMM jobs)."""
    return [
        layer(CONV, 0, out_channels=8, kernel=3, stride=1, pad=1, relu=1, act_topk=800, weight_topk=150),  # 1
        layer(CONV, 1, out_channels=8, kernel=3, stride=2, pad=1, weight_topk=400),                         # 2
        layer(BATCHNORM, 2, relu=1, act_topk=200),                                                          # 3
        layer(CONV, 3, out_channels=8, kernel=3, stride=1, pad=1, weight_topk=450),                         # 4
        layer(BATCHNORM, 4),                                                                               # 5
        layer(ADD, 5, src2=3, relu=1),                                                                     # 6
        layer(CONV, 6, out_channels=16, kernel=3, stride=1, pad=0, relu=1, act_topk=150),                   # 7
        layer(AVGPOOL, 7, kernel=2, stride=2),                                                              # 8
        layer(FC, 8, out_channels=10),                                                                      # 9
    ]


def inputs(layers, x_shape, classes, seed):
    """Seeded parameters (flat, layer order), input batch and labels. Conv and fc weights are
    He-initialised; a batchnorm's gamma is near 1 and its beta near 0."""
    rng = np.random.default_rng(seed)
    _, weights = shapes(x_shape, layers)
    offsets, chunks, at = [], [], 0
    for l, w in zip(layers, weights):
        offsets.append(at if w else 0)
        if not w:
            continue
        if l["type"] == BATCHNORM:
            c = w[1]
            chunk = np.concatenate([1.0 + 0.1 * rng.standard_normal(c), 0.1 * rng.standard_normal(c)])
        else:
            chunk = rng.standard_normal(int(np.prod(w))) * np.sqrt(2.0 / int(np.prod(w[1:])))
        chunks.append(chunk.astype(np.float32))
        at += int(np.prod(w))
    params = np.concatenate(chunks).astype(np.float32)
    x = rng.standard_normal(x_shape).astype(np.float32)
    x[rng.random(x_shape) < 0.3] = 0.0  # some input sparsity
    labels = rng.integers(0, classes, size=x_shape[0]).astype(np.float32)
    return params, offsets, x, labels
