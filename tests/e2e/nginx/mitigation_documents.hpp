#pragma once

namespace em::test {

// Unsigned EOCS documents for the nginx end-to-end tests.
// The real M1 (SPEC 2, CVE-2022-41040): one UrlRewrite action on Default Web Site.
extern const char* const m1_document;
// M1 and a rule nginx refuses to load (a named group "uri", which would be nginx's $uri).
extern const char* const m1_and_unloadable_document;
// M1 among rules that use every input, both groupings, negate, a virtual
// directory, CustomResponse, Redirect and a None with stopProcessing.
extern const char* const corpus_document;

}  // namespace em::test
