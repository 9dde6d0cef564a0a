"""Trains the mask branch of the tiny SiamMask of export_tiny_siammask.py on turning bars (data from
RotatedSceneMaskData: exemplar, search crop, ideal mask of the exemplar-sized square at the search
centre) and exports it through the README's three wrappers, for RotatedSceneSegmentationTest.
Backbone, adjust layer, mask correlation and refine are trained end to end with a per-pixel binary
cross-entropy at cell (12, 12), as SiamMask's mask loss at a positive position; the RPN stays
untrained (the evaluation takes the target's position from the truth).

  mvn -pl operators -am test -Dtest=RotatedSceneMaskData -Dargus.siammask.data=/tmp/smdata \\
      -Dsurefire.failIfNoSpecifiedTests=false
  /usr/bin/python3 models/src/test/python/train_tiny_siammask_mask.py /tmp/smdata
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import export_tiny_siammask as E  # noqa: E402

OUT = 'operators/src/test/resources/siammask-bars'
STEPS, BATCH, LR = 900, 8, 2e-3


def load(d):
    z = np.fromfile(os.path.join(d, 'exemplar.u8'), np.uint8).reshape(-1, 127, 127, 3)
    x = np.fromfile(os.path.join(d, 'search.u8'), np.uint8).reshape(-1, 255, 255, 3)
    m = np.fromfile(os.path.join(d, 'mask.u8'), np.uint8).reshape(-1, 127 * 127)
    return z, x, m


def bgr(a):  # N x H x W x RGB uint8 -> N x BGR x H x W float, 0..255 (pysot's input)
    return torch.from_numpy(a[..., ::-1].copy()).permute(0, 3, 1, 2).float().contiguous()


def main():
    torch.set_num_threads(2)
    torch.manual_seed(7)
    z, x, m = load(sys.argv[1])
    n = len(z)
    model = E.Model()
    E.init(model, torch.Generator().manual_seed(2019))
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    rng = np.random.default_rng(3)
    for step in range(STEPS):
        idx = rng.choice(n, BATCH, replace=False)
        zb, xb, mb = bgr(z[idx]), bgr(x[idx]), torch.from_numpy(m[idx]).float()
        zf = model.neck(model.backbone(zb)[-1])
        f = model.backbone(xb)
        _, corr = model.mask_head(zf, model.neck(f[-1]))
        logits = model.refine_head(f[:3], corr, (12, 12))
        loss = F.binary_cross_entropy_with_logits(logits, mb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0 or step == STEPS - 1:
            with torch.no_grad():
                pred = logits > 0
                inter = (pred & (mb > 0.5)).sum().item()
                union = (pred | (mb > 0.5)).sum().item()
            print('step %4d loss %.4f batch mask IoU %.3f' % (step, loss.item(), inter / max(1, union)), flush=True)
    model.eval()
    os.makedirs(OUT, exist_ok=True)
    template, search, refine = E.Template(model).eval(), E.Search(model).eval(), E.RefineExport(model).eval()
    with torch.no_grad():
        z1, x1 = bgr(z[:1]), bgr(x[:1])
        zf1 = template(z1)
        p = (torch.rand(1, E.STEM, 61, 61), torch.rand(1, E.PLANES[0] * 4, 31, 31),
             torch.rand(1, E.PLANES[1] * 4, 15, 15), torch.rand(1, E.HID, 1, 1))
        torch.onnx.export(template, (z1,), os.path.join(OUT, 'template.onnx'), opset_version=11,
                          input_names=['z'], output_names=['zf'])
        torch.onnx.export(search, (zf1, x1), os.path.join(OUT, 'search.onnx'), opset_version=11,
                          input_names=['zf', 'x'], output_names=['cls', 'loc', 'corr', 'f0', 'f1', 'f2'])
        torch.onnx.export(refine, p, os.path.join(OUT, 'refine.onnx'), opset_version=11,
                          input_names=['p0', 'p1', 'p2', 'p3'], output_names=['mask'])
    print('exported to', OUT)


if __name__ == '__main__':
    main()
