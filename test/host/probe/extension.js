// Deliberately empty: the activation benchmark's baseline, and a stand-in development extension.
exports.activate = function activate() {};
exports.deactivate = function deactivate() {};
