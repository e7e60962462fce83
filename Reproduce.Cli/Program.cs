// Placeholder entry point; the notebook runner and verbs replace this (issue: foundation).
Console.WriteLine("reproduce: " + Reproduce.Compute.Device.Cpu);
return 0;
