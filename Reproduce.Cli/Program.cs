// The `reproduce` command: see Commands/CliApp.cs for the verbs and exit codes.
using System.Text;
using Reproduce.Cli.Commands;

Console.OutputEncoding = Encoding.UTF8;
return CliApp.Run(args, Console.Out, Console.Error);
