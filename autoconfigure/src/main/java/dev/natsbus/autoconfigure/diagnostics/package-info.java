/**
 * Failure analyzers: start-up failures of the bus as Boot's "APPLICATION FAILED TO START"
 * report, with what went wrong and what to change.
 */
package dev.natsbus.autoconfigure.diagnostics;
