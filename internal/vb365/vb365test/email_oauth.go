package vb365test

import (
	"net/http"
	"net/url"
	"strings"
)

// The OAuth sign-in of the e-mail settings (v7, v8): PrepareOAuthSignIn
// returns a sign-in URL whose state is a new requestId, the administrator's
// browser signs in, CompleteOAuthSignIn takes the code and state and names
// the account, and a PUT of the settings carries userId and requestId. The
// routes are added with each singleton's (email_settings.go).

// CompleteOAuthSignInFor does what an administrator's browser sign-in does
// between PrepareOAuthSignIn and CompleteOAuthSignIn: it registers a sign-in
// of userID and returns its requestId, which a PUT may then carry.
func (s *Server) CompleteOAuthSignInFor(userID string) (requestID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	requestID = GUID("oauth-request", s.nextID())
	s.oauth[requestID] = userID
	return requestID
}

// OAuthUserID is the account a canned CompleteOAuthSignIn reports.
const OAuthUserID = "audit-mailer@contoso.onmicrosoft.com"

// PrepareOAuthSignIn returns a canned sign-in URL whose state is the new
// requestId.
func (c *call) prepareOAuthSignIn() {
	var in struct {
		Kind         string  `json:"authenticationServiceKind"`
		ClientID     *string `json:"clientId"`
		ClientSecret *string `json:"clientSecret"`
		TenantID     *string `json:"tenantId"`
		RedirectURL  string  `json:"redirectUrl"`
	}
	if !c.decode(&in) {
		return
	}
	if _, ok := map[string]bool{"microsoft365": true, "googlegmail": true}[strings.ToLower(in.Kind)]; !ok {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The authentication service kind '%s' is not valid: use Microsoft365 or GoogleGmail.", in.Kind)
		return
	}
	if in.RedirectURL == "" {
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The redirect URL is not specified.")
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	id := GUID("oauth-request", s.nextID())
	s.oauth[id] = "" // pending until CompleteOAuthSignIn
	signIn := "https://login.microsoftonline.com/common/oauth2/v2.0/authorize"
	if strings.EqualFold(in.Kind, "GoogleGmail") {
		signIn = "https://accounts.google.com/o/oauth2/v2/auth"
	}
	q := url.Values{"redirect_uri": {in.RedirectURL}, "state": {id}, "response_type": {"code"}}
	c.writeJSON(http.StatusOK, map[string]any{"requestId": id, "signInUrl": signIn + "?" + q.Encode()})
}

// CompleteOAuthSignIn takes the code and state the browser was redirected
// with and returns the signed-in account.
func (c *call) completeOAuthSignIn() {
	var in struct {
		Code  string `json:"code"`
		State string `json:"state"`
		Error string `json:"error"`
	}
	if !c.decode(&in) {
		return
	}
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	user, ok := s.oauth[in.State]
	switch {
	case in.Error != "":
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The sign-in failed: %s", in.Error)
		return
	case !ok:
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The sign-in state is unknown or has expired. Start again with PrepareOAuthSignIn.")
		return
	case in.Code == "":
		c.errorf(http.StatusBadRequest, "ParameterValidationFailure", "The authorization code is not specified.")
		return
	}
	if user == "" {
		user = OAuthUserID
		s.oauth[in.State] = user
	}
	c.writeJSON(http.StatusOK, map[string]any{"requestId": in.State, "userId": user})
}
