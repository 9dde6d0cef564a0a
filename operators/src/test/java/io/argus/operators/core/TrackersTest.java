package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.models.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackersTest {

  @Test
  void familyPicksTheTracker() {
    assertThat(Trackers.forSpec(Specs.siamFc(Map.of()))).isInstanceOf(SiamFcTracker.class);
    assertThat(Trackers.forSpec(Specs.nanoTrack(16, Map.of()))).isInstanceOf(NanoTrackTracker.class);
    assertThat(Trackers.families()).contains("siamfc", "cfnet", "nanotrack");
  }

  @Test
  void unknownFamilyListsTheKnownOnes() {
    ModelSpec spec = new ModelSpec("siamese-unicorn", "u", 127, 255, 17, 8, List.of(1), Map.of(), Map.of(), Map.of());
    assertThatThrownBy(() -> Trackers.forSpec(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("siamese-unicorn").hasMessageContaining("[cfnet, nanotrack, siamfc, siamrpn]");
  }

  @Test
  void siamFcNeedsItsResponseOutput() {
    ModelSpec spec = new ModelSpec("siamfc", "s", 127, 255, 17, 8, List.of(1), Map.of("cls", List.of(17, 17)),
        Map.of(), Map.of());
    assertThatThrownBy(() -> Trackers.forSpec(spec)).hasMessageContaining("'response' of shape [17, 17]");
  }
}
