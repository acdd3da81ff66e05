package localserver

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// Access says who may use the server. The zero value serves a laptop: only
// requests addressed to a loopback name, any of them may read, and writes
// (uploads and deletions in the bucket) only from the server's own origin.
type Access struct {
	// Token, when set, must come as "Authorization: Bearer TOKEN" with
	// every write, and with every read of data when Private is set.
	Token   string
	Private bool
	// Hosts are the names and addresses, besides loopback ones, that
	// requests may address the server by (their Host header). Any other
	// Host is refused, so a DNS-rebinding page cannot reach the server
	// under a name of its own.
	Hosts []string
}

// guard refuses, with a JSON error, requests addressed to a host the
// server is not, unsafe requests a browser sent from another site, and
// requests without the token where one is required.
func (c Access) guard(next http.Handler) http.Handler {
	hosts := map[string]bool{}
	for _, h := range c.Hosts {
		hosts[normalHost(h)] = true
	}
	crossOrigin := http.NewCrossOriginProtection()
	crossOrigin.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, "forbidden", "requests from another site may not change this server's data")
	}))
	checked := crossOrigin.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.Token != "" && c.needsToken(r) && !c.hasToken(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="quotes"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "this request needs the server's token: Authorization: Bearer TOKEN")
			return
		}
		next.ServeHTTP(w, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := normalHost(r.Host)
		if !hosts[host] && !isLoopbackName(host) {
			writeError(w, http.StatusForbidden, "forbidden", "this server does not answer to the host "+quoteHost(r.Host))
			return
		}
		checked.ServeHTTP(w, r)
	})
}

// needsToken reports whether r needs the token: every write, and with
// Private every request but those for the page itself and the health check,
// which hold no data.
func (c Access) needsToken(r *http.Request) bool {
	if isBucketPath(r.URL.Path) && r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	if !c.Private {
		return false
	}
	p := r.URL.Path
	return p != "/" && p != "/healthz" && !strings.HasPrefix(p, "/assets/")
}

func (c Access) hasToken(r *http.Request) bool {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(c.Token)) == 1
}

func isBucketPath(p string) bool { return p == "/bucket" || strings.HasPrefix(p, "/bucket/") }

// normalHost is a Host header's name, or a listen address's host, without
// port, brackets, trailing dot or case.
func normalHost(h string) string {
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	return strings.ToLower(h)
}

func isLoopbackName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether a listen address only accepts connections
// from this machine.
func IsLoopback(addr string) bool {
	host := normalHost(addr)
	return host != "" && isLoopbackName(host)
}

// quoteHost shows a client-sent Host in a message, bounded and printable.
func quoteHost(h string) string {
	const most = 100
	if len(h) > most {
		h = h[:most] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, `"`+h+`"`)
}
