package io.argus.operators.flink;

/** A camera's picture size as its frames declare it; kept per camera to notice a change. */
public record Resolution(int width, int height) {

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
