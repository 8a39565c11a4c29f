// Package images holds the official image definitions (debian, ubuntu,
// rescue, and common, the part Debian and Ubuntu share) with their helper
// programs, and the tests that prove them: the definitions load and
// validate, the helpers do their job against a real metadata service, and
// a built Debian image meets every item of the image check list.
package images
