package io.myelin.server.http;

/** A route body: reads what it needs from the exchange and answers through it. Runs on a virtual thread. */
@FunctionalInterface
public interface Route {
    void handle(Exchange exchange) throws Exception;
}
