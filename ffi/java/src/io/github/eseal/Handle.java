package io.github.eseal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A library handle owned by a Java object: calls hold a read lock, {@link #close()} the write
 * lock, so close waits for calls in progress and later calls throw IllegalStateException.
 */
abstract class Handle implements AutoCloseable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Pointer ptr;

    Handle(Pointer ptr) {
        this.ptr = ptr;
    }

    interface Use<T> {
        T apply(Pointer p) throws EsealException;
    }

    <T> T use(Use<T> f) throws EsealException {
        lock.readLock().lock();
        try {
            if (ptr == null) {
                throw new IllegalStateException(getClass().getSimpleName() + " is closed");
            }
            return f.apply(ptr);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Frees the handle; safe to call more than once. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (ptr != null) {
                free(ptr);
                ptr = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    abstract void free(Pointer p);

    /** A C getter lending a buffer of the handle: {@code f(handle, &data, &len)}. */
    interface Lend {
        int apply(Pointer p, PointerByReference data, LibEseal.SizeTByReference len);
    }

    /** A copy of the buffer {@code f} lends. */
    byte[] borrow(Lend f) throws EsealException {
        return use(p -> {
            PointerByReference data = new PointerByReference();
            LibEseal.SizeTByReference len = new LibEseal.SizeTByReference();
            Eseal.check(f.apply(p, data, len));
            return Eseal.borrowed(data, len);
        });
    }
}
