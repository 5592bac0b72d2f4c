package io.github.eseal.spark;

import io.github.eseal.Eseal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Verifies an archive of certificates, seals, seal signatures, PDFs and OFDs on Apache Spark
 * through the Java binding of libeseal, and writes one row per report as Parquet and as JSON lines.
 *
 * <pre>
 * spark-submit --class io.github.eseal.spark.VerifyArchive eseal-spark.jar \
 *     --input hdfs:///archive/2021 [--input 's3a://bucket/licences/*.ofd'] [--paths list.txt] \
 *     --trust roots.pem [--intermediate cas.pem] [--crl ca.crl] [--at 2026-06-01T00:00:00Z] \
 *     --output hdfs:///reports/run1 [--partitions N] [--max-file-size BYTES] [--overwrite]
 * </pre>
 *
 * Inputs are listed on the driver (directories recursively, globs expanded) and/or, with
 * {@code --paths}, read from a text file of paths on the executors. Only paths travel through
 * Spark: a task verifies its paths a chunk at a time with one call into the library
 * ({@link PartitionVerifier}), which reads local files itself and computes the rows' columns;
 * the rows hold the report, never the file. A file that cannot be read is a row with
 * {@code error}, never a failed task. Trust material is read on the driver and broadcast; every
 * executor JVM makes one verifier from it and shares it between its task threads.
 */
public final class VerifyArchive {
    private VerifyArchive() {
    }

    /** The limit of the CLI (eseal::batch::MAX_INPUT_SIZE): larger files are an error row. */
    static final long DEFAULT_MAX_FILE_SIZE = 256L * 1024 * 1024;

    /** Command-line options. */
    static final class Options {
        final List<String> inputs = new ArrayList<>();
        String pathsFile;
        final List<String> trust = new ArrayList<>();
        final List<String> intermediates = new ArrayList<>();
        final List<String> crls = new ArrayList<>();
        Long at;
        String output;
        int partitions;
        long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        boolean overwrite;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--overwrite")) {
                    o.overwrite = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--input":
                        o.inputs.add(v);
                        break;
                    case "--paths":
                        o.pathsFile = v;
                        break;
                    case "--trust":
                        o.trust.add(v);
                        break;
                    case "--intermediate":
                        o.intermediates.add(v);
                        break;
                    case "--crl":
                        o.crls.add(v);
                        break;
                    case "--at":
                        o.at = OffsetDateTime.parse(v).toEpochSecond();
                        break;
                    case "--output":
                        o.output = v;
                        break;
                    case "--partitions":
                        o.partitions = Integer.parseInt(v);
                        break;
                    case "--max-file-size":
                        o.maxFileSize = Long.parseLong(v);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.inputs.isEmpty() && o.pathsFile == null) {
                throw new IllegalArgumentException("give --input (repeatable), --paths, or both");
            }
            if (o.output == null) {
                throw new IllegalArgumentException("--output DIR is required");
            }
            return o;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("eseal-spark: " + e.getMessage());
            System.err.println("usage: VerifyArchive (--input PATH_OR_GLOB ... | --paths FILE) --output DIR "
                    + "[--trust F] [--intermediate F] [--crl F] [--at RFC3339] [--partitions N] "
                    + "[--max-file-size BYTES] [--overwrite]");
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("eseal verify").getOrCreate();
        double startup = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        try {
            run(spark, o, startup);
        } finally {
            spark.stop();
        }
    }

    static void run(SparkSession spark, Options o, double startup) throws Exception {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hconf = jsc.hadoopConfiguration();
        ExecutorVerifier.Config config = new ExecutorVerifier.Config(UUID.randomUUID().toString(),
                readAll(hconf, o.trust), readAll(hconf, o.intermediates), readAll(hconf, o.crls), o.at);
        // Fail early, on the driver, on trust material the library refuses.
        config.newVerifier().close();
        Broadcast<ExecutorVerifier.Config> bconfig = jsc.broadcast(config);
        Broadcast<byte[]> bhconf = jsc.broadcast(serialize(hconf));
        long maxSize = o.maxFileSize;

        int parallelism = jsc.defaultParallelism();
        long l0 = System.nanoTime();
        List<String> listed = list(hconf, o.inputs);
        double listing = (System.nanoTime() - l0) / 1e9;
        int parts = o.partitions > 0 ? o.partitions : partitionsFor(listed.size(), parallelism);
        JavaRDD<String> paths = jsc.parallelize(listed, parts);
        if (o.pathsFile != null) {
            JavaRDD<String> named = spark.read().textFile(o.pathsFile).javaRDD().map(String::trim)
                    .filter(s -> !s.isEmpty());
            paths = paths.union(named.repartition(o.partitions > 0 ? o.partitions : parallelism * 4));
        }
        // The library's results are kept, a chunk of packed rows per element (spilling to disk), so
        // that verification runs once for the summary and the two outputs; the aggregate that
        // builds the summary is the timed verification stage. Rows are made when the table is
        // written.
        // A task verifies its chunks on as many library threads as it holds cores.
        int threads = Math.max(1, jsc.getConf().getInt("spark.task.cpus", 1));
        JavaRDD<Chunk> chunks = paths.mapPartitions(it -> new PartitionVerifier(it, bconfig.value(),
                ExecutorConf.get(bhconf.value()), maxSize, threads)).persist(StorageLevel.MEMORY_AND_DISK());
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        Summary summary = chunks.aggregate(new Summary(), Summary::add, Summary::merge);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = cpu0 < 0 ? -1 : (processCpuNanos() - cpu0) / 1e9;

        Dataset<Row> table = spark.createDataFrame(chunks.flatMap(Chunk::rows), ReportRows.SCHEMA);
        SaveMode mode = o.overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
        long w0 = System.nanoTime();
        table.write().mode(mode).parquet(o.output + "/parquet");
        table.write().mode(mode).json(o.output + "/jsonl");
        double writing = (System.nanoTime() - w0) / 1e9;
        chunks.unpersist(false);
        System.out.print(summary.render(secs));
        System.out.printf(Locale.ROOT, "eseal %s; Spark start-up %.2f s; verification stage %.3f s on %d cores",
                Eseal.version(), startup, secs, parallelism);
        if (cpu >= 0) {
            // In local mode the executors are this JVM: its CPU time is the stage's cost.
            System.out.printf(Locale.ROOT, " (driver JVM CPU %.3f s, %.3f ms a file)", cpu,
                    1e3 * cpu / Math.max(1, summary.inputs));
        }
        System.out.printf(Locale.ROOT, "; listing %.2f s (%d files); writing the table %.2f s%n", listing,
                listed.size(), writing);
    }

    /** CPU time of this JVM (all threads), or -1 where the JVM does not tell. */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    /** Partitions of about 1,000 files, a multiple of the parallelism so no core idles at the end. */
    static int partitionsFor(int files, int parallelism) {
        int p = Math.max(1, parallelism);
        int parts = Math.max(p, (files + 999) / 1000);
        return (parts + p - 1) / p * p;
    }

    /**
     * The whole file, refused beyond {@code maxSize} bytes (as the CLI does). Files of the local
     * file system are read directly, past Hadoop's checksum layer (about 1 ms a file otherwise).
     */
    static byte[] read(FileSystem fs, Path path, long maxSize) throws IOException {
        if (fs instanceof LocalFileSystem) {
            java.nio.file.Path local = ((LocalFileSystem) fs).pathToFile(path).toPath();
            try (FileChannel ch = FileChannel.open(local, StandardOpenOption.READ)) {
                long len = ch.size();
                if (len > maxSize) {
                    throw new IOException("file larger than " + maxSize + " bytes");
                }
                ByteBuffer buf = ByteBuffer.allocate((int) len);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    continue;
                }
                if (buf.hasRemaining()) {
                    throw new IOException(path + " shrank while being read");
                }
                return buf.array();
            }
        }
        FileStatus st = fs.getFileStatus(path);
        if (st.isDirectory()) {
            throw new IOException(path + " is a directory");
        }
        long len = st.getLen();
        if (len > maxSize) {
            throw new IOException("file larger than " + maxSize + " bytes");
        }
        byte[] buf = new byte[(int) len];
        try (FSDataInputStream in = fs.open(path)) {
            in.readFully(0, buf);
        }
        return buf;
    }

    /** Expands directories (recursively) and globs on the driver; files in listing order. */
    static List<String> list(Configuration hconf, List<String> inputs) throws IOException {
        List<String> out = new ArrayList<>();
        for (String input : inputs) {
            Path p = new Path(input);
            FileSystem fs = p.getFileSystem(hconf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                out.add(fs.makeQualified(p).toString()); // becomes an error row: no such file
                continue;
            }
            for (FileStatus m : matches) {
                if (!m.isDirectory()) {
                    out.add(m.getPath().toString());
                    continue;
                }
                // Depth first with listStatusIterator, not listFiles: listFiles makes a
                // LocatedFileStatus of each file, which on the local file system reads its
                // permissions by running a process (about 4 ms a file).
                ArrayDeque<Path> dirs = new ArrayDeque<>();
                dirs.push(m.getPath());
                while (!dirs.isEmpty()) {
                    RemoteIterator<FileStatus> it = fs.listStatusIterator(dirs.pop());
                    while (it.hasNext()) {
                        FileStatus f = it.next();
                        if (f.isDirectory()) {
                            dirs.push(f.getPath());
                        } else {
                            out.add(f.getPath().toString());
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<byte[]> readAll(Configuration hconf, List<String> files) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            Path p = new Path(f);
            out.add(read(p.getFileSystem(hconf), p, DEFAULT_MAX_FILE_SIZE));
        }
        return out;
    }

    private static byte[] serialize(Configuration conf) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            conf.write(out);
        }
        return b.toByteArray();
    }

    /** The driver's Hadoop configuration (with spark.hadoop.* settings), rebuilt once per executor JVM. */
    static final class ExecutorConf {
        private static byte[] source;
        private static Configuration conf;

        private ExecutorConf() {
        }

        static synchronized Configuration get(byte[] bytes) throws IOException {
            if (conf == null || source != bytes) {
                Configuration c = new Configuration(false);
                try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                    c.readFields(in);
                }
                conf = c;
                source = bytes;
            }
            return conf;
        }
    }
}
