/**
 * Herald's configuration: one YAML file read into immutable records.
 *
 * <p>{@link dev.herald.config.ConfigLoader} reads the file, checks every key against the schema and
 * either returns a {@link dev.herald.config.HeraldConfig} or throws a {@link
 * dev.herald.config.ConfigException} that lists every problem at once, each with its path ({@code
 * listeners[1].port: must be 1..65535, was 70000}). It runs before Herald binds any socket, and it
 * never clamps a value silently: a value out of range is a problem, not a default.
 *
 * <p>The configuration may name a users file ({@code directory.users-file}), read by {@link
 * dev.herald.config.UsersFileLoader} with the same rules and the same kind of problem report; it
 * holds digest HA1 hashes, never passwords ({@link dev.herald.config.UsersFile#ha1}).
 *
 * <p>This package knows no SIP, MINA or XMPP types; the modules that do read these records. It
 * checks the text of SIP addresses in the users file ({@link dev.herald.config.SipAddresses}), the
 * one normalisation that the directory uses too.
 */
package dev.herald.config;
