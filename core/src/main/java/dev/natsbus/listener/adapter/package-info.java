/**
 * Handling one message of a listener: invocation with argument resolution, and the one
 * place that turns sync, async and error results into replies.
 */
@NullMarked
package dev.natsbus.listener.adapter;

import org.jspecify.annotations.NullMarked;
