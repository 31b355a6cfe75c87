package io.myelin.storage.sqlite;

/**
 * How a keyed write's result is stored, so that a retry gets back an equal result without running the write
 * again. Encoding runs on the writer thread inside the write's transaction: keep it cheap.
 */
interface ResultCodec<T> {
    byte[] encode(T value);

    T decode(byte[] stored);
}
