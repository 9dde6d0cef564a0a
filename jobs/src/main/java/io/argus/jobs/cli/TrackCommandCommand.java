package io.argus.jobs.cli;

import io.argus.jobs.config.Setting;
import io.argus.jobs.config.Settings;
import io.argus.jobs.kafka.Clients;
import io.argus.jobs.kafka.Commands;
import io.argus.models.image.Box;
import io.argus.schemas.AvroCodec;
import io.argus.schemas.CommandAction;
import io.argus.schemas.TrackCommand;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "command", mixinStandardHelpOptions = true,
    description = {"Start or stop tracking a target.",
        "Example: argus command start --camera cam --target car-1 --frame 0 --box 120,80,40,30"})
final class TrackCommandCommand implements Callable<Integer> {

  @Mixin SettingsOptions settings;

  @Parameters(index = "0", description = "start or stop")
  CommandAction action;

  @Option(names = "--camera", required = true, description = "Camera id")
  String camera;

  @Option(names = "--target", required = true, description = "Target id, unique per camera")
  String target;

  @Option(names = "--frame", defaultValue = "0", description = "Sequence number of the frame the box was drawn on")
  long frame;

  @Option(names = "--box", paramLabel = "X,Y,W,H", description = "Target box in pixels, top-left corner first (START)")
  String box;

  @Option(names = "--label", description = "Optional label carried on every update")
  String label;

  @Override
  public Integer call() throws Exception {
    Settings s = settings.resolve();
    TrackCommand command = build(action, camera, target, frame, box, label);
    try (var producer = Clients.producer(s, 1 << 20)) {
      producer.send(new ProducerRecord<>(s.get(Setting.TOPIC_COMMANDS), camera,
          AvroCodec.trackCommands().encode(command))).get();
    }
    System.out.println("sent " + action + " " + camera + "/" + target + (box == null ? "" : " box " + box + " at frame " + frame));
    return 0;
  }

  static TrackCommand build(CommandAction action, String camera, String target, long frame, String box, String label) {
    if (action == CommandAction.STOP) {
      return Commands.stop(camera, target);
    }
    if (box == null) {
      throw new IllegalArgumentException("start needs --box X,Y,W,H");
    }
    String[] p = box.split(",");
    if (p.length != 4) {
      throw new IllegalArgumentException("--box needs four numbers X,Y,W,H, got '" + box + "'");
    }
    return Commands.start(camera, target, frame, new Box(Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim()),
        Double.parseDouble(p[2].trim()), Double.parseDouble(p[3].trim())), label);
  }
}
