package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameBatchTest {

  @Test
  void holdsOneFramePerCameraInArrivalOrderAndCountsCrops() {
    FrameBatch<String> batch = new FrameBatch<>();
    assertThat(batch.isEmpty()).isTrue();
    batch.add("b", "b7", 3);
    batch.add("a", "a4", 6);
    assertThat(batch.holds("a")).isTrue();
    assertThat(batch.holds("c")).isFalse();
    assertThat(batch.crops()).isEqualTo(9);
    assertThatThrownBy(() -> batch.add("a", "a5", 6)).hasMessageContaining("camera 'a' already waits");

    assertThat(batch.drain()).containsExactly("b7", "a4");
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.crops()).isZero();
    assertThat(batch.holds("a")).isFalse();
    batch.add("a", "a5", 6); // the camera's next frame, after the batch went out
    assertThat(batch.drain()).containsExactly("a5");
  }
}
