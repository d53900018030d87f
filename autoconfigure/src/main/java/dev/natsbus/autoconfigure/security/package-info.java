/**
 * Authentication, TLS from SSL bundles, permission violations, connect failures and
 * secrets kept out of sight.
 */
@NullMarked
package dev.natsbus.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
