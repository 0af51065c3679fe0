/*
 * certkit.c - certificates for the signature tests, made with the
 * `openssl` command in a scratch folder (included by the unit tests that
 * sign PEs and catalogs: test_authenticode, test_trustpub).
 *
 * The including test defines `static char dir[]` (the folder, made with
 * mkdtemp) before including this file; commands run in it and append
 * their output to dir/log.
 *
 *   mkroot("ca", "Test CA");                    // ca.key, ca.pem (self-signed CA)
 *   mkleaf("pub", "Publisher", "ca", NULL);     // pub.key, pub.pem, pub.chain
 *   mkleaf("x", "Vendor Root", "msroot", "vroot"); // cross-certificate: vroot's key
 */

/* Run a printf-formatted shell command in `dir`; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = snprintf(cmd, sizeof cmd, "cd %s && ( ", dir);
	vsnprintf(cmd + n, sizeof cmd - (size_t)n, fmt, ap);
	va_end(ap);
	strncat(cmd, " ) >>log 2>&1", sizeof cmd - strlen(cmd) - 1);
	return system(cmd);
}

/* A CA or self-signed certificate: NAME.key, NAME.pem. */
static void mkroot(const char *name, const char *cn)
{
	assert_int_equal(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout %s.key -out %s.pem "
			    "-days 3650 -subj '/CN=%s' -addext basicConstraints=critical,CA:TRUE",
			    name, name, cn), 0);
}

/* NAME signed by CA (NAME.key, NAME.pem; NAME.chain = cert + CA); with
 * keyfrom, NAME reuses that key and is a CA (a cross-certificate). */
static void mkleaf(const char *name, const char *cn, const char *ca, const char *keyfrom)
{
	if (!keyfrom)
		assert_int_equal(sh("openssl genrsa -out %s.key 2048", name), 0);
	else
		assert_int_equal(sh("cp %s.key %s.key", keyfrom, name), 0);
	assert_int_equal(sh("openssl req -new -key %s.key -subj '/CN=%s' -out %s.csr && "
			    "printf 'basicConstraints=CA:%s\\n' > %s.ext && "
			    "openssl x509 -req -in %s.csr -CA %s.pem -CAkey %s.key -CAcreateserial "
			    "-days 3650 -extfile %s.ext -out %s.pem && cat %s.pem %s.pem > %s.chain",
			    name, cn, name, keyfrom ? "TRUE" : "FALSE", name, name, ca, ca, name,
			    name, name, ca, name), 0);
}
