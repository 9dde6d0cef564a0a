package io.argus.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.argus.schemas.proto.Frame;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/** TensorFlow Java's generated protos and ours must run on one protobuf-java (see STACK.md). */
class ProtobufRuntimeTest {
  @Test
  void tensorflowProtosLoadOnTheSameRuntimeAsFrames() throws Exception {
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(2)
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
        .build();
    ConfigProto back = ConfigProto.parseFrom(config.toByteArray());
    assertThat(back.getIntraOpParallelismThreads()).isEqualTo(2);
    assertThat(back.getGpuOptions().getAllowGrowth()).isTrue();

    Class<?> runtime = com.google.protobuf.GeneratedMessageV3.class;
    assertThat(runtime).isAssignableFrom(ConfigProto.class).isAssignableFrom(Frame.class);
    String jar = runtime.getProtectionDomain().getCodeSource().getLocation().toString();
    System.out.println("protobuf runtime: " + jar);
    assertThat(jar).contains("protobuf-java-3.21.9");
  }
}
