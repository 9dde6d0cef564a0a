package io.argus.models.image;

/** A point in frame pixels: x right, y down, 0-based, pixel i covers [i, i + 1). */
public record Point(double x, double y) {}
