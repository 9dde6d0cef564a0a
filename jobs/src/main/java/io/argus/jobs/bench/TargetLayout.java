package io.argus.jobs.bench;

import io.argus.models.image.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * N start boxes on a real frame: the sequence's ground-truth box first, then copies of it
 * shifted on a grid across the frame, so every tracker in a comparison starts from the same boxes
 * and every target has real image content around it.
 */
public final class TargetLayout {

  private TargetLayout() {}

  /** Integer boxes (OpenCV takes a cv::Rect) of the truth's size, inside a width x height frame. */
  public static List<Box> place(Box truth, int n, int width, int height) {
    int w = (int) Math.max(1, Math.min(Math.round(truth.width()), width));
    int h = (int) Math.max(1, Math.min(Math.round(truth.height()), height));
    int x0 = (int) Math.max(0, Math.min(Math.round(truth.x()), width - w));
    int y0 = (int) Math.max(0, Math.min(Math.round(truth.y()), height - h));
    int grid = (int) Math.ceil(Math.sqrt(n));
    int spanX = Math.max(1, width - w);
    int spanY = Math.max(1, height - h);
    List<Box> boxes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int col = i % grid;
      int row = i / grid;
      int x = (x0 + col * spanX / grid) % spanX;
      int y = (y0 + row * spanY / grid) % spanY;
      boxes.add(new Box(i == 0 ? x0 : x, i == 0 ? y0 : y, w, h));
    }
    return boxes;
  }
}
