package io.github.eseal.spark;

import io.github.eseal.Rows;
import io.github.eseal.Verifier;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The reports of one partition of input paths, verified a chunk at a time: one call into the
 * library per chunk ({@link Verifier#verifyFiles}, {@link Verifier#verifyRows}), which verifies
 * the chunk and computes each report's columns natively, so the JVM neither crosses into the
 * library per file nor parses report JSON. Files of the local file system are read by the
 * library itself (their bytes never enter the JVM); files of other file systems are read
 * through Hadoop, a chunk holding at most {@link #CHUNK_BYTES} of them. Chunks come out lazily,
 * one at a time.
 */
final class PartitionVerifier implements Iterator<Chunk> {
    /** Files per library call: enough to make the call's cost vanish, few enough to stream. */
    static final int CHUNK_FILES = 256;
    /** Bytes of files read through Hadoop per library call. */
    static final long CHUNK_BYTES = 64L << 20;

    private final Iterator<String> paths;
    private final ExecutorVerifier.Config config;
    private final Configuration hconf;
    private final long maxSize;
    private final int threads;
    private final ArrayDeque<Chunk> ready = new ArrayDeque<>();
    private String lastRoot;
    private FileSystem lastFs;

    PartitionVerifier(Iterator<String> paths, ExecutorVerifier.Config config, Configuration hconf, long maxSize,
            int threads) {
        this.paths = paths;
        this.config = config;
        this.hconf = hconf;
        this.maxSize = maxSize;
        this.threads = threads;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && paths.hasNext()) {
            nextChunk();
        }
        return !ready.isEmpty();
    }

    @Override
    public Chunk next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Verifies the next chunk of paths into {@code ready}. */
    private void nextChunk() {
        List<String> localPaths = new ArrayList<>();
        List<String> localNames = new ArrayList<>();
        List<byte[]> remote = new ArrayList<>();
        List<String> remoteNames = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        long remoteBytes = 0;
        while (paths.hasNext() && localPaths.size() + remote.size() < CHUNK_FILES && remoteBytes < CHUNK_BYTES) {
            String text = paths.next();
            String name = text;
            try {
                Path path = new Path(text);
                FileSystem fs = fileSystem(path);
                path = fs.makeQualified(path);
                name = path.toString();
                if (fs instanceof LocalFileSystem) {
                    String local = ((LocalFileSystem) fs).pathToFile(path).getPath();
                    if (local.indexOf('\0') >= 0) {
                        throw new IOException("path holds a NUL character");
                    }
                    localPaths.add(local);
                    localNames.add(name);
                } else {
                    byte[] bytes = VerifyArchive.read(fs, path, maxSize);
                    remote.add(bytes);
                    remoteNames.add(name);
                    remoteBytes += bytes.length;
                }
            } catch (IOException | RuntimeException e) {
                failed.add(name);
                errors.add("I/O error: " + e.getMessage());
            }
        }
        verify(localNames, v -> v.verifyFiles(localPaths, localNames, threads), failed, errors);
        verify(remoteNames, v -> v.verifyRows(remote, remoteNames, threads), failed, errors);
        if (!failed.isEmpty()) {
            ready.add(new Chunk(null, new ArrayList<>(), failed, errors));
        }
    }

    /** The library call of a chunk. */
    private interface Call {
        Rows apply(Verifier v) throws Exception;
    }

    /**
     * Runs {@code call} on the inputs {@code names} and queues their chunk; if the call itself
     * fails, the inputs go to {@code failed} with the reason.
     */
    private void verify(List<String> names, Call call, List<String> failed, List<String> errors) {
        if (names.isEmpty()) {
            return;
        }
        try {
            ready.add(new Chunk(call.apply(ExecutorVerifier.get(config)), names, new ArrayList<>(), new ArrayList<>()));
        } catch (Exception | LinkageError e) {
            // The library reports bad input in the rows; this is a failure of the call itself.
            for (String n : names) {
                failed.add(n);
                errors.add("verification failed: " + e);
            }
        }
    }

    /** The file system of {@code path}, the previous one when the scheme and authority repeat. */
    private FileSystem fileSystem(Path path) throws IOException {
        URI u = path.toUri();
        String root = u.getScheme() + "://" + u.getAuthority();
        if (lastFs == null || !Objects.equals(root, lastRoot)) {
            lastFs = path.getFileSystem(hconf);
            lastRoot = root;
        }
        return lastFs;
    }
}
