package io.defenderalertroutes.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key and its certificate (or chain) from a PEM file or a PKCS#12 file, checked as Entra ID will use them:
 * an RSA key (client assertions are signed RS256 or PS256) that belongs to the first certificate. Every problem is an
 * {@link IllegalArgumentException} whose message says what is wrong with the file, never what is in it.
 */
record CertificateFile(PrivateKey key, List<X509Certificate> chain) {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    /** The DER prefix that wraps a PKCS#1 RSA key (sequence, version 0, rsaEncryption) as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48,
            (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    X509Certificate certificate() {
        return chain.get(0);
    }

    /** Reads {@code file}: PKCS#12 when its name ends in .p12 or .pfx, PEM otherwise. */
    static CertificateFile read(Path file, char[] password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        CertificateFile read = name.endsWith(".p12") || name.endsWith(".pfx") ? pkcs12(file, bytes, password)
                : pem(file, bytes);
        read.check(file);
        return read;
    }

    private static CertificateFile pkcs12(Path file, byte[] bytes, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException(file + " is a PKCS#12 file and needs its password");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = new ByteArrayInputStream(bytes)) {
                store.load(in, password);
            }
            Enumeration<String> aliases = store.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                        continue;
                    }
                    List<X509Certificate> certificates = new ArrayList<>();
                    for (Certificate certificate : chain) {
                        certificates.add((X509Certificate) certificate);
                    }
                    return new CertificateFile(privateKey, certificates);
                }
            }
            throw new IllegalArgumentException(file + " holds no private key with its certificate");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IllegalArgumentException("the password does not open " + file);
            }
            throw new IllegalArgumentException(file + " is not a PKCS#12 file (" + e.getClass().getSimpleName() + ")");
        } catch (UnrecoverableKeyException e) {
            throw new IllegalArgumentException("the password does not open the private key in " + file);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static CertificateFile pem(Path file, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        // told apart before the blocks are read: their bodies are not the plain base64 of the others
        if (text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException(file + " holds an encrypted PEM key; give the key unencrypted in a file "
                    + "only this process reads, or a PKCS#12 file with a password");
        }
        if (text.matches("(?s).*-----BEGIN (EC|DSA|OPENSSH) PRIVATE KEY-----.*")) {
            throw notRsa(file);
        }
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": a " + type + " block is not valid base64");
            }
            try {
                switch (type) {
                    case "PRIVATE KEY" -> key = rsaKey(file, der);
                    case "RSA PRIVATE KEY" -> key = rsaKey(file, pkcs8(der));
                    case "CERTIFICATE" -> chain.add((X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)));
                    default -> {
                        // other blocks (parameters, a trusted root's attributes) play no part in signing in
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(file + ": its " + type + " cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (key == null) {
            throw new IllegalArgumentException(file + " holds no private key (a PEM block BEGIN PRIVATE KEY or BEGIN RSA "
                    + "PRIVATE KEY)");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate (a PEM block BEGIN CERTIFICATE) beside its key");
        }
        return new CertificateFile(key, chain);
    }

    private static PrivateKey rsaKey(Path file, byte[] pkcs8) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw notRsa(file);
        }
    }

    private static IllegalArgumentException notRsa(Path file) {
        return new IllegalArgumentException(file + " holds a private key that is not RSA; Entra ID signs in with RSA "
                + "certificates only");
    }

    /** A PKCS#1 RSA key wrapped as PKCS#8, which the JDK reads. */
    private static byte[] pkcs8(byte[] pkcs1) {
        byte[] octets = concat(new byte[] {0x04}, length(pkcs1.length), pkcs1);
        byte[] body = concat(RSA_ALGORITHM, octets);
        return concat(new byte[] {0x30}, length(body.length), body);
    }

    private static byte[] length(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x100) {
            return new byte[] {(byte) 0x81, (byte) n};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
        }
        return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** The key must be RSA and belong to the first certificate: a mismatch would only show as Entra's AADSTS700027. */
    private void check(Path file) {
        if (!(key instanceof RSAPrivateKey)) {
            throw notRsa(file);
        }
        try {
            byte[] probe = "defender-alert-routes key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw new IllegalArgumentException("the private key in " + file + " does not belong to its certificate "
                        + certificate().getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the private key in " + file + " does not belong to its certificate "
                    + certificate().getSubjectX500Principal().getName() + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
