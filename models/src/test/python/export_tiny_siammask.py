"""Writes the fixtures of SiamMaskTorchExportTest: a tiny SiamMask with pysot's siammask_r50_l3
architecture (atrous ResNet to layer3, AdjustLayer with the 7x7 centre crop, DepthwiseRPN, MaskCorr,
Refine) at small widths and random weights, exported with torch.onnx.export through the README's
three wrappers, plus PyTorch's own outputs -- the mask computed by the Refine's own forward with
its pad-and-slice crops at a given position -- on inputs the Java test recomputes from a formula.

Run from the repository root with a Python that has torch (written with Debian 12's python3-torch
1.13.1):  /usr/bin/python3 models/src/test/python/export_tiny_siammask.py
"""
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = 'models/src/test/resources/siammask-torch'
STEM, PLANES, BLOCKS = 8, (4, 8, 8), (1, 2, 2)   # conv1 width, bottleneck widths and counts of layer1..3
ADJ, HID, K = 8, 8, 5                            # adjusted channels, head width, anchors
D = 4                                            # the refine's widths are pysot's divided by D
POSITIONS = ((3, 21), (12, 0))                   # (row, column) cell of each test item


def bn(n):
    return nn.BatchNorm2d(n)


class Bottleneck(nn.Module):
    """pysot's atrous bottleneck: stride-2 blocks unpadded, dilated blocks padded by their dilation."""

    def __init__(self, cin, planes, stride, downsample, dilation):
        super().__init__()
        pad = 2 - stride
        if downsample is not None and dilation > 1:
            dilation //= 2
            pad = dilation
        if dilation > 1:
            pad = dilation
        self.conv1, self.bn1 = nn.Conv2d(cin, planes, 1, bias=False), bn(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=stride, padding=pad, dilation=dilation, bias=False)
        self.bn2 = bn(planes)
        self.conv3, self.bn3 = nn.Conv2d(planes, planes * 4, 1, bias=False), bn(planes * 4)
        self.downsample = downsample

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


def layer(cin, planes, blocks, stride, dilation):
    down = None
    if stride != 1 or cin != planes * 4:
        if stride == 1 and dilation == 1:
            down = nn.Sequential(nn.Conv2d(cin, planes * 4, 1, stride=stride, bias=False), bn(planes * 4))
        else:
            dd, pad = (dilation // 2, dilation // 2) if dilation > 1 else (1, 0)
            down = nn.Sequential(nn.Conv2d(cin, planes * 4, 3, stride=stride, padding=pad, dilation=dd, bias=False),
                                 bn(planes * 4))
    mods = [Bottleneck(cin, planes, stride, down, dilation)]
    mods += [Bottleneck(planes * 4, planes, 1, None, dilation) for _ in range(1, blocks)]
    return nn.Sequential(*mods)


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, STEM, 7, stride=2, padding=0, bias=False), bn(STEM)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = layer(STEM, PLANES[0], BLOCKS[0], 1, 1)
        self.layer2 = layer(PLANES[0] * 4, PLANES[1], BLOCKS[1], 2, 1)
        self.layer3 = layer(PLANES[1] * 4, PLANES[2], BLOCKS[2], 1, 2)

    def forward(self, x):
        x_ = F.relu(self.bn1(self.conv1(x)))
        p1 = self.layer1(self.maxpool(x_))
        p2 = self.layer2(p1)
        return [x_, p1, p2, self.layer3(p2)]


class AdjustLayer(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), bn(cout))

    def forward(self, x):
        x = self.downsample(x)
        if x.size(3) < 20:  # the template: keep the centre 7 x 7
            l = (x.size(3) - 7) // 2
            x = x[:, :, l:l + 7, l:l + 7]
        return x


def xcorr_depthwise(x, kernel):
    batch, channel = kernel.size(0), kernel.size(1)
    x = x.view(1, batch * channel, x.size(2), x.size(3))
    kernel = kernel.view(batch * channel, 1, kernel.size(2), kernel.size(3))
    out = F.conv2d(x, kernel, groups=batch * channel)
    return out.view(batch, channel, out.size(2), out.size(3))


class DepthwiseXCorr(nn.Module):
    def __init__(self, cin, hidden, cout):
        super().__init__()
        self.conv_kernel = nn.Sequential(nn.Conv2d(cin, hidden, 3, bias=False), bn(hidden), nn.ReLU())
        self.conv_search = nn.Sequential(nn.Conv2d(cin, hidden, 3, bias=False), bn(hidden), nn.ReLU())
        self.head = nn.Sequential(nn.Conv2d(hidden, hidden, 1, bias=False), bn(hidden), nn.ReLU(),
                                  nn.Conv2d(hidden, cout, 1))

    def feature(self, z, x):
        return xcorr_depthwise(self.conv_search(x), self.conv_kernel(z))

    def forward(self, z, x):
        return self.head(self.feature(z, x))


class MaskCorr(DepthwiseXCorr):
    def forward(self, z, x):  # as pysot: the 63x63-per-position head output and the feature the refine uses
        f = self.feature(z, x)
        return self.head(f), f


class RPN(nn.Module):
    def __init__(self):
        super().__init__()
        self.cls = DepthwiseXCorr(ADJ, HID, 2 * K)
        self.loc = DepthwiseXCorr(ADJ, HID, 4 * K)

    def forward(self, z, x):
        return self.cls(z, x), self.loc(z, x)


def two_convs(cin, mid, cout):
    return nn.Sequential(nn.Conv2d(cin, mid, 3, padding=1), nn.ReLU(), nn.Conv2d(mid, cout, 3, padding=1), nn.ReLU())


class Refine(nn.Module):
    """pysot's Refine at widths / D, with its own crops at pos in forward."""

    def __init__(self):
        super().__init__()
        w = lambda n: max(1, n // D)
        self.v0 = two_convs(STEM, w(16), w(4))
        self.v1 = two_convs(PLANES[0] * 4, w(64), w(16))
        self.v2 = two_convs(PLANES[1] * 4, w(128), w(32))
        self.h2 = two_convs(w(32), w(32), w(32))
        self.h1 = two_convs(w(16), w(16), w(16))
        self.h0 = two_convs(w(4), w(4), w(4))
        self.deconv = nn.ConvTranspose2d(HID, w(32), 15, 15)
        self.post0 = nn.Conv2d(w(32), w(16), 3, padding=1)
        self.post1 = nn.Conv2d(w(16), w(4), 3, padding=1)
        self.post2 = nn.Conv2d(w(4), 1, 3, padding=1)

    def forward(self, f, corr_feature, pos):
        p0 = F.pad(f[0], [16, 16, 16, 16])[:, :, 4 * pos[0]:4 * pos[0] + 61, 4 * pos[1]:4 * pos[1] + 61]
        p1 = F.pad(f[1], [8, 8, 8, 8])[:, :, 2 * pos[0]:2 * pos[0] + 31, 2 * pos[1]:2 * pos[1] + 31]
        p2 = F.pad(f[2], [4, 4, 4, 4])[:, :, pos[0]:pos[0] + 15, pos[1]:pos[1] + 15]
        p3 = corr_feature[:, :, pos[0], pos[1]].view(-1, HID, 1, 1)
        out = self.deconv(p3)
        out = self.post0(F.upsample(self.h2(out) + self.v2(p2), size=(31, 31)))
        out = self.post1(F.upsample(self.h1(out) + self.v1(p1), size=(61, 61)))
        out = self.post2(F.upsample(self.h0(out) + self.v0(p0), size=(127, 127)))
        return out.view(-1, 127 * 127)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = ResNet()
        self.neck = AdjustLayer(PLANES[2] * 4, ADJ)
        self.rpn_head = RPN()
        self.mask_head = MaskCorr(ADJ, HID, 63 * 63)
        self.refine_head = Refine()


# ---- the README's export wrappers, verbatim
class Template(torch.nn.Module):   # z -> zf (1 x 256 x 7 x 7)
    def __init__(self, m):
        super().__init__()
        self.m = m
    def forward(self, z):
        return self.m.neck(self.m.backbone(z)[-1])

class Search(torch.nn.Module):     # zf, x -> cls, loc, corr, f0, f1, f2
    def __init__(self, m):
        super().__init__()
        self.m = m
    def forward(self, zf, x):
        f = self.m.backbone(x)
        xf = self.m.neck(f[-1])
        cls, loc = self.m.rpn_head(zf, xf)
        _, corr = self.m.mask_head(zf, xf)
        return cls, loc, corr, f[0], f[1], f[2]

class RefineExport(torch.nn.Module):     # p0, p1, p2, p3 -> mask logits (Refine.forward after its crops)
    def __init__(self, m):
        super().__init__()
        self.r = m.refine_head
    def forward(self, p0, p1, p2, p3):
        r = self.r
        out = r.deconv(p3)
        out = r.post0(F.interpolate(r.h2(out) + r.v2(p2), size=(31, 31)))
        out = r.post1(F.interpolate(r.h1(out) + r.v1(p1), size=(61, 61)))
        return r.post2(F.interpolate(r.h0(out) + r.v0(p0), size=(127, 127)))
# ----


def rgb_formula(b, side):
    """The test input: item b, pixel (y, x), RGB channel c -> ((y*131 + x*71 + c*37 + b*53) * 7) % 256, fed as BGR."""
    y = torch.arange(side).view(side, 1, 1)
    x = torch.arange(side).view(1, side, 1)
    c = torch.arange(3).view(1, 1, 3)
    rgb = ((y * 131 + x * 71 + c * 37 + b * 53) * 7) % 256
    return rgb.flip(2).permute(2, 0, 1).float()  # BGR, CHW


def init(m, g):
    """Random weights that keep activations near 1 on 0..255 input, and random batch-norm statistics."""
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
                fan = mod.weight.shape[1] * mod.weight.shape[2] * mod.weight.shape[3]
                if isinstance(mod, nn.ConvTranspose2d):
                    fan = mod.weight.shape[0] * 25  # the correlation feature sums 25 products per channel
                gain = 1 / 128 if mod.weight.shape[1] == 3 else 1
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
    # NHWC for feature maps, row-major otherwise: the layouts the Java side reads back from the SavedModel
    if t.dim() == 4:
        t = t.permute(0, 2, 3, 1)
    a = t.contiguous().view(-1).tolist()
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(struct.pack('<%df' % len(a), *a))


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(2019)
    model = Model()
    init(model, g)
    model.eval()
    template, search, refine = Template(model).eval(), Search(model).eval(), RefineExport(model).eval()
    z1 = rgb_formula(0, 127).unsqueeze(0)
    x1 = rgb_formula(0, 255).unsqueeze(0)
    with torch.no_grad():
        zf1 = template(z1)
        p = (torch.rand(1, STEM, 61, 61), torch.rand(1, PLANES[0] * 4, 31, 31), torch.rand(1, PLANES[1] * 4, 15, 15),
             torch.rand(1, HID, 1, 1))
        # as the README: batch 1, opset 11, no dynamic axes
        torch.onnx.export(template, (z1,), os.path.join(OUT, 'template.onnx'), opset_version=11,
                          input_names=['z'], output_names=['zf'])
        torch.onnx.export(search, (zf1, x1), os.path.join(OUT, 'search.onnx'), opset_version=11,
                          input_names=['zf', 'x'], output_names=['cls', 'loc', 'corr', 'f0', 'f1', 'f2'])
        torch.onnx.export(refine, p, os.path.join(OUT, 'refine.onnx'), opset_version=11,
                          input_names=['p0', 'p1', 'p2', 'p3'], output_names=['mask'])
        # PyTorch's outputs for two targets, each refined at its own cell by pysot's own Refine.forward
        z = torch.stack([rgb_formula(b, 127) for b in range(2)])
        x = torch.stack([rgb_formula(b, 255) for b in range(2)])
        zf = template(z)
        cls, loc, corr, f0, f1, f2 = search(zf, x)
        masks = torch.cat([model.refine_head([f0[b:b + 1], f1[b:b + 1], f2[b:b + 1]], corr[b:b + 1], POSITIONS[b])
                           for b in range(2)]).sigmoid()
        write_floats('zf.bin', zf)
        write_floats('cls.bin', cls)
        write_floats('loc.bin', loc)
        write_floats('mask.bin', masks)
        print('zf', tuple(zf.shape), 'cls', tuple(cls.shape), 'loc', tuple(loc.shape), 'mask', tuple(masks.shape),
              'mask range', float(masks.min()), float(masks.max()))


if __name__ == '__main__':
    main()
