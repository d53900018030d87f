/**
 * The wire rules both sides use: subjects, deadlines, error headers, header mapping,
 * message size, permission errors.
 */
@NullMarked
package dev.natsbus.protocol;

import org.jspecify.annotations.NullMarked;
