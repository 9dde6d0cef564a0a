"""Writes the fixtures of SiamRpnTorchExportTest: a tiny SiamRPN with pysot's siamrpn_alex_dwxcorr
architecture (AlexNetLegacy, DepthwiseRPN, xcorr_depthwise), random weights, exported with
torch.onnx.export as the README tells users to export pysot's model, plus PyTorch's own outputs on
inputs the Java test recomputes from a formula.

Run from the repository root with a Python that has torch (written with Debian 12's python3-torch
1.13.1):  /usr/bin/python3 models/src/test/python/export_tiny_siamrpn.py
"""
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = 'models/src/test/resources/siamrpn-torch'
W = 8          # every width
K = 5          # anchors


def alexnet_legacy(w):
    return nn.Sequential(
        nn.Conv2d(3, w, kernel_size=11, stride=2), nn.BatchNorm2d(w), nn.MaxPool2d(3, 2), nn.ReLU(inplace=True),
        nn.Conv2d(w, w, kernel_size=5), nn.BatchNorm2d(w), nn.MaxPool2d(3, 2), nn.ReLU(inplace=True),
        nn.Conv2d(w, w, kernel_size=3), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
        nn.Conv2d(w, w, kernel_size=3), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
        nn.Conv2d(w, w, kernel_size=3), nn.BatchNorm2d(w))


def conv_bn_relu(cin, cout, k):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel_size=k, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def xcorr_depthwise(x, kernel):
    # the per-target depthwise correlation as pysot writes it: views that fold the batch into channels
    batch = kernel.size(0)
    channel = kernel.size(1)
    x = x.view(1, batch * channel, x.size(2), x.size(3))
    kernel = kernel.view(batch * channel, 1, kernel.size(2), kernel.size(3))
    out = F.conv2d(x, kernel, groups=batch * channel)
    return out.view(batch, channel, out.size(2), out.size(3))


class Branch(nn.Module):
    def __init__(self, cin, hidden, cout):
        super().__init__()
        self.conv_kernel = conv_bn_relu(cin, hidden, 3)
        self.conv_search = conv_bn_relu(cin, hidden, 3)
        self.head = nn.Sequential(nn.Conv2d(hidden, hidden, 1, bias=False), nn.BatchNorm2d(hidden),
                                  nn.ReLU(inplace=True), nn.Conv2d(hidden, cout, 1))

    def forward(self, z, x):
        return self.head(xcorr_depthwise(self.conv_search(x), self.conv_kernel(z)))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = alexnet_legacy(W)
        self.cls = Branch(W, W, 2 * K)
        self.loc = Branch(W, W, 4 * K)


class Template(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, z):
        return self.m.backbone(z)


class Search(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, zf, x):
        xf = self.m.backbone(x)
        return self.m.cls(zf, xf), self.m.loc(zf, xf)


def rgb_formula(b, side):
    """The test input: item b, pixel (y, x), RGB channel c -> ((y*131 + x*71 + c*37 + b*53) * 7) % 256, fed as BGR."""
    y = torch.arange(side).view(side, 1, 1)
    x = torch.arange(side).view(1, side, 1)
    c = torch.arange(3).view(1, 1, 3)
    rgb = ((y * 131 + x * 71 + c * 37 + b * 53) * 7) % 256
    return rgb.flip(2).permute(2, 0, 1).float()  # BGR, CHW


def init(m, g):
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.Conv2d):
                fan = mod.in_channels * mod.kernel_size[0] * mod.kernel_size[1]
                gain = 1 / 128 if mod.in_channels == 3 else (0.3 if mod.out_channels in (2 * K, 4 * K) else 1)
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=g) * gain / fan ** 0.5)
                if mod.bias is not None:
                    mod.bias.copy_(torch.randn(mod.bias.shape, generator=g) * 0.1)
            elif isinstance(mod, nn.BatchNorm2d):
                n = mod.num_features
                mod.weight.copy_(0.5 + torch.rand(n, generator=g))
                mod.bias.copy_(torch.randn(n, generator=g) * 0.1)
                mod.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
                mod.running_var.copy_(0.5 + torch.rand(n, generator=g))


def write_floats(name, t):
    # NHWC, little-endian float32: the layout the Java side reads back from the SavedModel
    a = t.permute(0, 2, 3, 1).contiguous().view(-1).tolist()
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(struct.pack('<%df' % len(a), *a))


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(2018)
    model = Model()
    init(model, g)
    model.eval()
    z1 = rgb_formula(0, 127).unsqueeze(0)
    x1 = rgb_formula(0, 287).unsqueeze(0)
    # The wrappers must be in eval mode too: export restores each wrapper's own mode afterwards, and a
    # fresh nn.Module is in training mode, which would switch pysot's batch norm to batch statistics.
    template, search = Template(model).eval(), Search(model).eval()
    with torch.no_grad():
        zf1 = template(z1)
        # as the README: batch 1, opset 11, no dynamic axes (constant folding on: batch norm fused)
        torch.onnx.export(template, (z1,), os.path.join(OUT, 'template.onnx'), opset_version=11,
                          input_names=['z'], output_names=['zf'])
        torch.onnx.export(search, (zf1, x1), os.path.join(OUT, 'search.onnx'), opset_version=11,
                          input_names=['zf', 'x'], output_names=['cls', 'loc'])
        # the same at opset 13 without constant folding, batch norm kept (training mode PRESERVE on
        # modules in eval mode): the traced shape arithmetic of the views stays in the graph. A dynamic
        # batch axis cannot be exported at all: torch refuses the convolution with a computed kernel.
        torch.onnx.export(search, (zf1, x1), os.path.join(OUT, 'search_unfolded.onnx'), opset_version=13,
                          input_names=['zf', 'x'], output_names=['cls', 'loc'], do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE)
        torch.onnx.export(template, (z1,), os.path.join(OUT, 'template_unfolded.onnx'), opset_version=13,
                          input_names=['z'], output_names=['zf'], dynamic_axes={'z': {0: 'b'}, 'zf': {0: 'b'}},
                          do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
        # PyTorch's outputs for a batch of two targets, the reference of the Java test
        z = torch.stack([rgb_formula(b, 127) for b in range(2)])
        x = torch.stack([rgb_formula(b, 287) for b in range(2)])
        model.eval()
        zf = template(z)
        cls, loc = search(zf, x)
        write_floats('zf.bin', zf)
        write_floats('cls.bin', cls)
        write_floats('loc.bin', loc)
        print('zf', tuple(zf.shape), 'cls', tuple(cls.shape), 'loc', tuple(loc.shape))


if __name__ == '__main__':
    main()
