package io.argus.jobs.feed;

import io.argus.models.image.Box;
import io.argus.schemas.proto.Encoding;
import java.util.List;

/**
 * One encoded frame ready for the frames topic, with the ground truth where the feed knows it
 * (generated scenes always, annotated sequences when they carry a ground-truth file).
 */
public record FeedFrame(byte[] encoded, Encoding encoding, int width, int height, List<Box> truths) {}
