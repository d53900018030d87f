package dev.natsbus.autoconfigure.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialized {@link SSLContext} whose client sockets and engines verify the server's
 * host name and use the configured protocols and ciphers. jnats creates its TLS socket
 * from the context's socket factory without setting an endpoint identification algorithm,
 * so without this any certificate signed by a trusted CA would be accepted for any host.
 */
final class ConfiguredSslContext extends SSLContext {

	ConfiguredSslContext(SSLContext delegate, boolean verifyHostname, String[] protocols, String[] ciphers) {
		super(new Spi(delegate, new SocketSettings(verifyHostname, protocols, ciphers)), delegate.getProvider(),
				delegate.getProtocol());
	}

	private record SocketSettings(boolean verifyHostname, String[] protocols, String[] ciphers) {

		SSLParameters apply(SSLParameters parameters) {
			if (this.verifyHostname) {
				parameters.setEndpointIdentificationAlgorithm("HTTPS");
			}
			if (this.protocols != null && this.protocols.length > 0) {
				parameters.setProtocols(this.protocols);
			}
			if (this.ciphers != null && this.ciphers.length > 0) {
				parameters.setCipherSuites(this.ciphers);
			}
			return parameters;
		}

		Socket apply(Socket socket) {
			if (socket instanceof SSLSocket ssl) {
				ssl.setSSLParameters(apply(ssl.getSSLParameters()));
			}
			return socket;
		}

		SSLEngine apply(SSLEngine engine) {
			engine.setSSLParameters(apply(engine.getSSLParameters()));
			return engine;
		}

	}

	private static final class Spi extends SSLContextSpi {

		private final SSLContext delegate;

		private final SocketSettings settings;

		Spi(SSLContext delegate, SocketSettings settings) {
			this.delegate = delegate;
			this.settings = settings;
		}

		@Override
		protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
			throw new KeyManagementException("Already initialized");
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			return new SocketFactory(this.delegate.getSocketFactory(), this.settings);
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			return this.delegate.getServerSocketFactory();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			return this.settings.apply(this.delegate.createSSLEngine());
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			return this.settings.apply(this.delegate.createSSLEngine(host, port));
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			return this.delegate.getServerSessionContext();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			return this.delegate.getClientSessionContext();
		}

		@Override
		protected SSLParameters engineGetDefaultSSLParameters() {
			return this.delegate.getDefaultSSLParameters();
		}

		@Override
		protected SSLParameters engineGetSupportedSSLParameters() {
			return this.delegate.getSupportedSSLParameters();
		}

	}

	private static final class SocketFactory extends SSLSocketFactory {

		private final SSLSocketFactory delegate;

		private final SocketSettings settings;

		SocketFactory(SSLSocketFactory delegate, SocketSettings settings) {
			this.delegate = delegate;
			this.settings = settings;
		}

		@Override
		public String[] getDefaultCipherSuites() {
			return this.delegate.getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.delegate.getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket() throws IOException {
			return this.settings.apply(this.delegate.createSocket());
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			return this.settings.apply(this.delegate.createSocket(socket, host, port, autoClose));
		}

		@Override
		public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose) throws IOException {
			return this.delegate.createSocket(socket, consumed, autoClose);
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return this.settings.apply(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return this.settings.apply(this.delegate.createSocket(host, port, localHost, localPort));
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return this.settings.apply(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return this.settings.apply(this.delegate.createSocket(address, port, localAddress, localPort));
		}

	}

}
