package io.argus.jobs.feed;

import io.argus.models.data.ImageEncoding;
import io.argus.models.data.SceneFrame;
import io.argus.models.data.SceneSpec;
import io.argus.models.data.SyntheticScene;
import io.argus.schemas.proto.Encoding;

/** A generated camera: seeded scene footage with exact ground truth, JPEG-encoded like a real camera. */
public final class SceneFeed implements CameraFeed {

  private final String cameraId;
  private final SyntheticScene scene;
  private final long length;

  public SceneFeed(String cameraId, SceneSpec spec, long length) {
    this.cameraId = cameraId;
    this.scene = new SyntheticScene(spec);
    this.length = length;
  }

  /**
   * The quick start's camera: distinct, non-overlapping objects on a striped background, moving and
   * changing scale. Hard enough to need a tracker, easy enough that the packaged model follows.
   */
  public static SceneSpec demoSpec(int width, int height, int objects, long seed) {
    return SceneSpec.of(width, height, objects, seed)
        .withOcclusion(false)
        .withBackground(SceneSpec.Background.STRIPES)
        .withKinds(objects)
        .withSpeed(2.0)
        .withScaleChange(0.15)
        .withRotation(0.1)
        .withNoise(2.0)
        .withLighting(0.05);
  }

  public SyntheticScene scene() {
    return scene;
  }

  @Override
  public String cameraId() {
    return cameraId;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public FeedFrame frame(long index) {
    SceneFrame f = scene.frame(index);
    return new FeedFrame(ImageEncoding.jpeg(f.image(), 0.9f), Encoding.JPEG, f.image().width(), f.image().height(),
        f.truths());
  }
}
