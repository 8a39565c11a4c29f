package provision

// Common holds the attributes every step accepts besides its kind's own.
// They say how the step runs, not what it does.
type Common struct {
	// Network false runs the step's commands in an empty network
	// namespace, with only a loopback interface: nothing the step runs
	// reaches the host's network or the internet. Steps that install
	// packages need the network.
	Network bool `hcl:"network,optional"`
}

// NewCommon returns the common attributes' defaults.
func NewCommon() Common { return Common{Network: true} }
