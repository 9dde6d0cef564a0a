package io.argus.jobs.cli;

import io.argus.models.ModelSpec;
import io.argus.models.matconvnet.MatConvNetImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import-matconvnet", mixinStandardHelpOptions = true,
    description = {"Import a MatConvNet Siamese tracker network (SiamFC's 2016-08-17.net.mat, CFNet's"
        + " cfnet-conv*.mat, DagNN form) as a model directory: SavedModel + argus-model.json with the"
        + " network's published tracker settings.",
        "Example: argus import-matconvnet --in ../shared/data/weights/cfnet/cfnet-conv2_e80.mat --out models/cfnet-conv2"})
final class ImportMatConvNetCommand implements Callable<Integer> {

  @Option(names = "--in", required = true, paramLabel = "FILE.mat", description = "MatConvNet DagNN network (MAT v5/v7)")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write (created; an earlier model there is replaced)")
  Path out;

  @Option(names = "--name", description = "Model name carried on every track (default: the file name without .mat)")
  String name;

  @Option(names = "--hyper", paramLabel = "KEY=VALUE",
      description = "Override a tracker hyper-parameter, e.g. --hyper windowInfluence=0.3 (repeatable)")
  Map<String, Double> hyper = new LinkedHashMap<>();

  @Override
  public Integer call() {
    if (!Files.isRegularFile(in)) {
      System.err.println("import-matconvnet: no file at " + in.toAbsolutePath()
          + " (the CFNet networks are in ../shared/data/weights/cfnet)");
      return 2;
    }
    long t0 = System.nanoTime();
    ModelSpec spec;
    try {
      spec = MatConvNetImport.importNetwork(in, out, name, hyper,
          Map.of("command", "argus import-matconvnet --in " + in + " --out " + out
              + (name == null ? "" : " --name " + name)
              + hyper.entrySet().stream().map(e -> " --hyper " + e.getKey() + "=" + e.getValue()).reduce("", String::concat)));
    } catch (IllegalArgumentException e) {
      System.err.println("import-matconvnet: " + e.getMessage());
      return 1;
    }
    System.out.printf("imported %s as %s model '%s' into %s in %.1f s%n", in.getFileName(), spec.family(), spec.name(),
        out, (System.nanoTime() - t0) / 1e9);
    System.out.printf("  exemplar %d, search %d, response %dx%d, stride %d, embedding %s%n", spec.exemplarSize(),
        spec.instanceSize(), spec.scoreSize(), spec.scoreSize(), spec.stride(), spec.embeddingShape());
    System.out.println("  hyper " + spec.hyper());
    spec.provenance().forEach((k, v) -> System.out.println("  " + k + ": " + v));
    return 0;
  }
}
