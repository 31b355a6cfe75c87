package io.myelin.client.journal;

/** The journal could not be read or written (storage, connection, or a result that does not (de)serialise). */
public class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
