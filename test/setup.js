// Adds the cdktf Jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
require("cdktf").Testing.setupJest();
