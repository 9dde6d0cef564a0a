package io.argus.operators.core.mask;

import java.util.Arrays;

/**
 * Foreground runs of a bitmap, row by row, joined into 8-connected regions with union-find: the
 * connected-component pass of {@link MaskOutline} on runs rather than pixels, so a region costs
 * its outline, not its area.
 */
final class Runs {

  int count;
  int[] row = new int[64];
  int[] start = new int[64];
  /** Exclusive. */
  int[] end = new int[64];
  private int[] parent = new int[64];
  /** First run of each row; rowFirst[r + 1] ends row r. */
  private final int[] rowFirst;
  private int lastRow = -1;

  Runs(int rows) {
    rowFirst = new int[rows + 1];
  }

  /** Rows must be started in increasing order, before their runs are added. */
  void startRow(int r) {
    for (int k = lastRow + 1; k <= r; k++) {
      rowFirst[k] = count;
    }
    lastRow = r;
  }

  /** A run [s, e) in the current row; runs of a row come left to right. */
  void add(int r, int s, int e) {
    if (count == row.length) {
      int n = 2 * count;
      row = Arrays.copyOf(row, n);
      start = Arrays.copyOf(start, n);
      end = Arrays.copyOf(end, n);
      parent = Arrays.copyOf(parent, n);
    }
    row[count] = r;
    start[count] = s;
    end[count] = e;
    parent[count] = count;
    count++;
  }

  /** Closes the last row and joins runs that touch a run of the row above, diagonals included. */
  void finish() {
    for (int k = lastRow + 1; k < rowFirst.length; k++) {
      rowFirst[k] = count;
    }
    for (int r = 1; r < rowFirst.length - 1; r++) {
      int a = rowFirst[r - 1];
      int aEnd = rowFirst[r];
      int b = rowFirst[r];
      int bEnd = rowFirst[r + 1];
      // pixels [s, e - 1] and [s', e' - 1] are 8-adjacent across rows when s <= e' and s' <= e
      while (a < aEnd && b < bEnd) {
        if (start[a] <= end[b] && start[b] <= end[a]) {
          union(a, b);
        }
        if (end[a] < end[b]) {
          a++;
        } else {
          b++;
        }
      }
    }
  }

  /**
   * The root run of the region with the most pixels (on a tie the one met first in raster
   * order); -1 when there are no runs. A root is its region's first run.
   */
  int largestRegion() {
    long[] size = new long[count];
    for (int k = 0; k < count; k++) {
      size[find(k)] += end[k] - start[k];
    }
    int best = -1;
    for (int k = 0; k < count; k++) {
      if (parent[k] == k && (best < 0 || size[k] > size[best])) {
        best = k;
      }
    }
    return best;
  }

  int find(int k) {
    while (parent[k] != k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  }

  /** Keeps the smaller index as the root: a region's root is its first run in raster order. */
  private void union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra < rb) {
      parent[rb] = ra;
    } else if (rb < ra) {
      parent[ra] = rb;
    }
  }
}
